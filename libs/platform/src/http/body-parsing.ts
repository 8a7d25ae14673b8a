import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseForm } from 'node:querystring';
import type { FastifyInstance } from 'fastify';

/**
 * How every service reads request bodies, the same on each (Nest's own parsers are off):
 * - forms (application/x-www-form-urlencoded): a repeated field becomes an array.
 * - JSON: an empty body is no body. The product's generated clients (swagger-codegen on superagent)
 *   send `Content-Type: application/json` with nothing after it on operations that take no body
 *   (`POST /auth/v3/sign-out?global=false`, deletes); those operations then run as usual, and an
 *   operation that needs a body says "a request body is required" (code 1).
 * - text/plain: no endpoint takes it; it is answered 415 (code 8) rather than reaching validation.
 * - `Expect: 100-continue` (curl sends it for large bodies): a declared body over the limit gets its
 *   413 before the client sends it (RFC 9110 §10.1.1); Node then closes that connection, as HTTP
 *   requires when an announced body is never read. Other requests are told to continue.
 */
export function configureBodyParsing(fastify: FastifyInstance, bodyLimit: number): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  // A NUL byte (in the URL, a form or JSON) is refused with 400 before any handler sees it: no
  // identifier, name or secret holds one, and PostgreSQL text cannot store one (it would fail as a 500).
  fastify.addHook('onRequest', (request, _reply, done) => {
    done(request.url.includes('%00') ? nulByteError() : undefined);
  });
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if ((body as string).trim() === '') return done(null, undefined);
    if ((body as string).includes('\\u0000')) return done(nulByteError(), undefined);
    // Fastify's default parser answers through `done`; its return value carries nothing.
    void parseJson(request, body as string, done);
  });
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
    (body as string).includes('%00') || (body as string).includes('\0')
      ? done(nulByteError(), undefined)
      : done(null, parseForm(body as string)),
  );
  fastify.removeContentTypeParser('text/plain');
  fastify.server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    if (!(Number(request.headers['content-length']) > bodyLimit)) response.writeContinue();
    fastify.server.emit('request', request, response);
  });
}

/** A client error the exception filters answer as 400 (invalid_request / code 1). */
function nulByteError(): Error {
  return Object.assign(new Error('NUL bytes are not allowed in a request'), {
    statusCode: 400,
    code: 'FST_ERR_CTP_INVALID_CONTENT',
  });
}

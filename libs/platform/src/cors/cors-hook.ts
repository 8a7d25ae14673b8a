import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES } from '@cxauth/domain';
import type { CorsPolicy } from './cors-policy';

export interface CorsHookOptions {
  methods?: string[];
  /** Headers a browser may send; null reflects what the preflight asks for. */
  allowedHeaders?: string[] | null;
  exposedHeaders?: string[];
  maxAgeSeconds?: number;
}

const DEFAULT_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const DEFAULT_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Accept', 'X-Requested-With', 'X-Request-Id'];

function isPreflight(request: FastifyRequest): boolean {
  return request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
}

/** A browser request from the page's own host is not cross-origin; it never needs the allow-list. */
function isSameOrigin(request: FastifyRequest, origin: string): boolean {
  try {
    return new URL(origin).host.toLowerCase() === (request.host ?? '').toLowerCase();
  } catch {
    return false;
  }
}

function refuse(reply: FastifyReply, status: { http: number; status: number }, message: string): void {
  void reply
    .code(status.http)
    .type('application/json; charset=utf-8')
    .send({ status: { code: status.status, message } });
}

/**
 * CORS for a service, driven by a `CorsPolicy`, in one synchronous `onRequest` hook. Every answer
 * carries `Vary: Origin`. An allowed origin (or the page's own host) is echoed in
 * `Access-Control-Allow-Origin` with the exposed headers; `Access-Control-Allow-Credentials` only for
 * a configured origin or the page's own host, never for one admitted by the "allow" default, and
 * `Origin: null` is never echoed. A preflight from an allowed
 * origin is answered 204 here, before authentication. A preflight from a refused origin gets 403 in the
 * envelope. An ordinary request from a refused origin is served without CORS headers, so the browser
 * withholds the answer from the page.
 *
 * This replaced @fastify/cors. Its per-request options (needed because the same-origin rule reads
 * the request) built a fresh options object for every request, with or without an Origin. That was
 * about 8 % of the CPU of a token request (docs/performance.md).
 */
export function registerCors(fastify: FastifyInstance, policy: CorsPolicy, options: CorsHookOptions = {}): void {
  const methods = (options.methods ?? DEFAULT_METHODS).join(', ');
  const allowedHeaders =
    options.allowedHeaders === undefined
      ? DEFAULT_ALLOWED_HEADERS.join(', ')
      : (options.allowedHeaders?.join(', ') ?? null);
  const exposedHeaders = (options.exposedHeaders ?? ['X-Request-Id']).join(', ');
  const maxAge = String(options.maxAgeSeconds ?? 600);

  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('vary', allowedHeaders === null ? 'Origin, Access-Control-Request-Headers' : 'Origin');
    const origin = request.headers.origin;
    if (!origin) return done();
    const preflight = isPreflight(request);
    // Credentials (cookies) only for configured origins and the page's own host; an origin let in by
    // the "allow" default reads bearer-token answers, never with the browser's cookies.
    const credentialed = policy.isConfigured(origin) || isSameOrigin(request, origin);
    if (!credentialed && !policy.isAllowed(origin)) {
      if (!preflight) return done();
      return refuse(reply, ERROR_CODES.FORBIDDEN, `Origin ${origin} is not allowed by the CORS configuration`);
    }
    void reply.header('access-control-allow-origin', origin);
    if (credentialed) void reply.header('access-control-allow-credentials', 'true');
    if (exposedHeaders) void reply.header('access-control-expose-headers', exposedHeaders);
    if (!preflight) {
      if (request.method !== 'OPTIONS') return done();
      return refuse(reply, ERROR_CODES.INVALID_REQUEST, 'A CORS preflight needs Access-Control-Request-Method');
    }
    const headers = allowedHeaders ?? request.headers['access-control-request-headers'];
    if (headers) void reply.header('access-control-allow-headers', headers);
    void reply
      .header('access-control-allow-methods', methods)
      .header('access-control-max-age', maxAge)
      .code(204)
      .header('content-length', '0')
      .send();
  });
  // Preflights are answered by the hook; this route only lets OPTIONS reach it on every path.
  fastify.options('*', (_request, reply) => {
    reply.callNotFound();
  });
}

import fastifyCors, { FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ERROR_CODES } from '@cxauth/domain';
import type { CorsPolicy } from './cors-policy';

export interface CorsHookOptions {
  methods?: string[];
  /** Headers a browser may send; null reflects what the preflight asks for. */
  allowedHeaders?: string[] | null;
  exposedHeaders?: string[];
  maxAgeSeconds?: number;
}

/** Requests without an allowed Origin get no CORS headers (only `Vary: Origin`). */
const NO_CORS: FastifyCorsOptions = { origin: false };
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

/**
 * CORS for a service, driven by a `CorsPolicy` (@fastify/cors does the header work). An allowed
 * origin is echoed in `Access-Control-Allow-Origin` (with `Vary: Origin` and credentials); a preflight
 * from a refused origin is answered 403 in the envelope; an ordinary request from a refused origin
 * is served without CORS headers, so the browser withholds the answer from the page.
 */
export async function registerCors(
  fastify: FastifyInstance,
  policy: CorsPolicy,
  options: CorsHookOptions = {},
): Promise<void> {
  const allowed: FastifyCorsOptions = {
    credentials: true,
    methods: options.methods ?? DEFAULT_METHODS,
    allowedHeaders:
      options.allowedHeaders === undefined ? DEFAULT_ALLOWED_HEADERS : (options.allowedHeaders ?? undefined),
    exposedHeaders: options.exposedHeaders ?? ['X-Request-Id'],
    maxAge: options.maxAgeSeconds ?? 600,
    strictPreflight: true,
  };
  const allows = (request: FastifyRequest, origin: string) => policy.isAllowed(origin) || isSameOrigin(request, origin);
  // Refused preflights are answered here, before @fastify/cors (which would only leave the headers out).
  fastify.addHook('onRequest', (request, reply, done) => {
    const origin = request.headers.origin;
    if (!origin || !isPreflight(request) || allows(request, origin)) return done();
    const message = `Origin ${origin} is not allowed by the CORS configuration`;
    void reply
      .code(ERROR_CODES.FORBIDDEN.http)
      .header('vary', 'Origin')
      .type('application/json; charset=utf-8')
      .send({ status: { code: ERROR_CODES.FORBIDDEN.status, message } });
  });
  await fastify.register(fastifyCors, {
    hook: 'onRequest',
    delegator: (request, callback) => {
      const origin = request.headers.origin;
      if (!origin || !allows(request, origin)) return callback(null, NO_CORS);
      return callback(null, { ...allowed, origin });
    },
  });
}

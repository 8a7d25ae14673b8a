import type { FastifyInstance } from 'fastify';

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-site',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
} as const;

const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Headers on every answer, set when the request arrives (one synchronous hook: no promise per
 * request). APIs keep the deny-all CSP; pages (auth-ui) replace it with their own policy later in
 * the request. HSTS only where the request came over TLS.
 */
export function addSecurityHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(SECURITY_HEADERS);
    if (request.protocol === 'https') void reply.header('strict-transport-security', HSTS);
    done();
  });
}

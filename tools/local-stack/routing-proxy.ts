import proxy from '@fastify/http-proxy';
import fastify, { FastifyInstance } from 'fastify';

export interface Route {
  /** Path prefix as the production ingress routes it, e.g. `/ui/auth`. */
  prefix: string;
  upstream: string;
}

/**
 * One base URL for the three services, routed by path exactly like the production ingress
 * (`/auth` → auth-api, `/ui/auth` → auth-ui, `/environment` → environment-api).
 */
export async function startRoutingProxy(routes: Route[], host: string, port: number): Promise<FastifyInstance> {
  const server = fastify({ logger: false, bodyLimit: 10 * 1024 * 1024, forceCloseConnections: true });
  // Longest prefix first, so /ui/auth never falls into /auth-like prefixes.
  for (const route of [...routes].sort((a, b) => b.prefix.length - a.prefix.length)) {
    await server.register(proxy, {
      upstream: route.upstream,
      prefix: route.prefix,
      rewritePrefix: route.prefix,
      replyOptions: {
        rewriteRequestHeaders: (request, headers) => ({
          ...headers,
          'x-forwarded-for': request.ip,
          'x-forwarded-host': request.headers.host ?? '',
          'x-forwarded-proto': request.protocol,
        }),
      },
    });
  }
  server.get('/', async (_request, reply) => reply.redirect('/ui/auth/sign-in.html'));
  await server.listen({ host, port });
  return server;
}

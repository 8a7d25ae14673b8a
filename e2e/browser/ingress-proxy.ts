import proxy from '@fastify/http-proxy';
import fastify, { FastifyInstance } from 'fastify';

/**
 * The production ingress in miniature: one origin, routed by path (longest prefix first), with the
 * X-Forwarded-* headers an ingress adds (the services run with TRUST_PROXY=true).
 */
export async function startIngressProxy(routes: { prefix: string; upstream: string }[], host: string, port: number): Promise<FastifyInstance> {
  const server = fastify({ logger: false, bodyLimit: 10 * 1024 * 1024, forceCloseConnections: true });
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
  await server.listen({ host, port });
  return server;
}

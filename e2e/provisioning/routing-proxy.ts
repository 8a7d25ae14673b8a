import proxy from '@fastify/http-proxy';
import fastify, { FastifyInstance } from 'fastify';

/** One base URL in front of the three services, routed by path like the production ingress. */
export async function startRoutingProxy(
  routes: { prefix: string; upstream: string }[],
  host: string,
  port: number,
): Promise<FastifyInstance> {
  const server = fastify({ logger: false, bodyLimit: 10 * 1024 * 1024, forceCloseConnections: true });
  for (const route of [...routes].sort((a, b) => b.prefix.length - a.prefix.length)) {
    await server.register(proxy, { upstream: route.upstream, prefix: route.prefix, rewritePrefix: route.prefix });
  }
  await server.listen({ host, port });
  return server;
}

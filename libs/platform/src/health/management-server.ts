import fastify, { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { TlsMaterial } from '../http/tls-files';
import type { ServiceMetrics } from '../metrics/metrics';
import type { HealthService } from './health.module';

/**
 * The management listener: probes and metrics on their own port, so they are never exposed through
 * the ingress and never compete with API limits.
 */
export async function startManagementServer(options: {
  host: string;
  port: number;
  health: HealthService;
  metrics: ServiceMetrics;
  logger: Logger;
  /** Serve HTTPS with this pair (the service's own certificate). */
  tls?: TlsMaterial;
}): Promise<FastifyInstance> {
  // Typed as the plain-HTTP instance: the routes are the same, only the listener differs.
  const server = (
    options.tls
      ? fastify({ logger: false, forceCloseConnections: true, https: options.tls })
      : fastify({ logger: false, forceCloseConnections: true })
  ) as FastifyInstance;
  server.get('/health/live', async () => options.health.live());
  server.get('/health', async (_request, reply) => {
    const { ok, body } = options.health.serving();
    return reply.status(ok ? 200 : 503).send(body);
  });
  server.get('/health/ready', async (_request, reply) => {
    const { ok, result } = await options.health.ready();
    if (!ok) options.logger.warn({ health: result }, 'readiness check failed');
    return reply.status(ok ? 200 : 503).send(result);
  });
  server.get('/metrics', async (_request, reply) =>
    reply.header('content-type', options.metrics.registry.contentType).send(await options.metrics.registry.metrics()),
  );
  await server.listen({ host: options.host, port: options.port });
  return server;
}

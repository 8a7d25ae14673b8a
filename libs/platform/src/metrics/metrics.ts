import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { CachedCounter } from './cached-counter';

/** One registry per service instance (three services share a process in the local run). */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  /** Redis connection errors, by connection (`main`, `subscriber`). */
  readonly redisErrors: CachedCounter;
  /** PostgreSQL errors: `query` (a statement failed or timed out) and `connection` (the pool lost one). */
  readonly postgresErrors: CachedCounter;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.redisErrors = new CachedCounter({
      name: 'cxauth_redis_errors_total',
      help: 'Redis connection errors (refused, reset, timed out) by connection',
      labelNames: ['connection'],
      registers: [this.registry],
    });
    this.postgresErrors = new CachedCounter({
      name: 'cxauth_postgres_errors_total',
      help: 'PostgreSQL errors by kind: query (failed or timed-out statement), connection (pool connection lost)',
      labelNames: ['kind'],
      registers: [this.registry],
    });
  }

  /** Times every request of the HTTP app; the label is the route template, never the raw URL. */
  instrument(fastify: FastifyInstance): void {
    fastify.addHook('onResponse', (request, reply, done) => {
      this.httpDuration.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? 'unmatched',
          status_code: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
      done();
    });
  }
}

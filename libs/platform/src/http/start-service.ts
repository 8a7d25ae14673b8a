import { DynamicModule, Global, Module, Type } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream, Logger } from 'pino';
import type { ServiceConfig } from '../config/config.schema';
import { HealthModule, HealthService } from '../health/health.module';
import { startManagementServer } from '../health/management-server';
import { ElasticsearchShipper } from '../logging/elasticsearch-shipper';
import { createLogger, requestId } from '../logging/logger-options';
import { PinoNestLogger } from '../logging/nest-logger';
import { ServiceMetrics } from '../metrics/metrics';
import { ErrorRenderer, ErrorResponseFilter, renderEnvelopeError } from './error-response.filter';
import { configureBodyParsing } from './body-parsing';
import { defaultNotFoundPage, NotFoundPageRenderer } from './not-found-page';
import { ContentTypeGuard } from './content-type.guard';
import { addSecurityHeaders } from './security-headers';
import { readTlsMaterial, SecureContextTarget, TlsFiles, TlsReloader } from './tls-files';
import { stopTracing } from '../tracing/start-tracing';

import { SERVICE_LOGGER } from './service-logger';

export { SERVICE_LOGGER };

export interface ServiceDefinition {
  name: string;
  module: Type | DynamicModule;
  config: ServiceConfig;
  renderError?: ErrorRenderer;
  /** The page a browser gets for a path no route serves (the platform's English page by default). */
  renderNotFoundPage?: NotFoundPageRenderer;
  /** Where logs go (stdout by default; tests capture them). */
  logDestination?: DestinationStream;
  /** Last chance to register hooks or plugins before the app listens. */
  configure?(app: NestFastifyApplication, fastify: FastifyInstance): void | Promise<void>;
}

export interface RunningService {
  name: string;
  app: NestFastifyApplication;
  url: string;
  managementUrl: string;
  logger: Logger;
  close(): Promise<void>;
}

/** The app's module plus what the platform gives every service (health, metrics, the logger). */
export function serviceRootModule(module: Type | DynamicModule, metrics: ServiceMetrics, logger: Logger): Type {
  @Global()
  @Module({
    imports: [module, HealthModule.forRoot()],
    providers: [
      { provide: ServiceMetrics, useValue: metrics },
      { provide: SERVICE_LOGGER, useValue: logger },
    ],
    exports: [ServiceMetrics, SERVICE_LOGGER],
  })
  class ServiceRootModule {}
  return ServiceRootModule;
}

/**
 * Boots one service: Fastify with body and time limits, JSON logs with request ids, security
 * headers, one error mapping, metrics, and the management listener for probes and /metrics.
 */
export async function startService(definition: ServiceDefinition): Promise<RunningService> {
  const { config, name } = definition;
  const shipper = config.ELASTICSEARCH_URL
    ? new ElasticsearchShipper({ ...config, ELASTICSEARCH_URL: config.ELASTICSEARCH_URL })
    : undefined;
  const logger = createLogger(name, config.LOG_LEVEL, definition.logDestination, {
    format: config.LOG_FORMAT,
    ship: shipper,
  });
  const metrics = new ServiceMetrics(name);
  shipper?.register(metrics.registry);
  const tlsFiles = tlsFilesOf(config);
  const tls = tlsFiles && readTlsMaterial(tlsFiles);

  const adapter = new FastifyAdapter({
    ...(tls && { https: tls }),
    logger: false,
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
    trustProxy: config.TRUST_PROXY,
    genReqId: requestId,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // No Nest middleware is used; @fastify/middie would add an onRequest hook to every request.
    skipMiddie: true,
    // `/environments/` is `/environments`, as the product (Spring MVC) matches paths.
    ignoreTrailingSlash: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    serviceRootModule(definition.module, metrics, logger),
    adapter,
    {
      logger: new PinoNestLogger(logger.child({ component: 'nest' })),
      abortOnError: false,
      // configureBodyParsing registers the JSON and form parsers.
      bodyParser: false,
    },
  );
  const fastify = app.getHttpAdapter().getInstance();
  configureBodyParsing(fastify, config.BODY_LIMIT_BYTES);
  const render = definition.renderError ?? renderEnvelopeError;

  let draining = false;
  // Synchronous hooks: an async hook costs a promise and a microtask on every request.
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  // While draining, answers close their connection so keep-alive clients cannot hold shutdown open.
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) void reply.header('connection', 'close');
    done(null, payload);
  });
  if (config.LOG_REQUESTS !== 'none') {
    // By default only failed answers (status ≥ 400) are logged: at thousands of token requests a
    // second a line per success costs CPU and log storage, and the ingress keeps an access log.
    const failuresOnly = config.LOG_REQUESTS === 'errors';
    fastify.addHook('onResponse', (request, reply, done) => {
      if (!failuresOnly || reply.statusCode >= 400) {
        logger.info({ req: request, res: reply, responseTimeMs: Math.round(reply.elapsedTime) }, 'request completed');
      }
      done();
    });
  }
  addSecurityHeaders(fastify);
  metrics.instrument(fastify);
  // Nest routes Fastify's own errors (body parser, limits) through the global filters too.
  app.useGlobalFilters(new ErrorResponseFilter(render, logger, definition.renderNotFoundPage ?? defaultNotFoundPage));
  app.useGlobalGuards(new ContentTypeGuard(app.get(Reflector)));
  await definition.configure?.(app, fastify);

  await app.listen({ host: config.HOST, port: config.PORT });
  const health = app.get(HealthService);
  const management = await startManagementServer({
    host: config.HOST,
    port: config.MANAGEMENT_PORT,
    health,
    metrics,
    logger,
    tls,
  });
  const reloader =
    tlsFiles && tls
      ? new TlsReloader(tlsFiles, tls, [fastify.server, management.server] as unknown as SecureContextTarget[], logger)
      : undefined;
  reloader?.start(config.TLS_RELOAD_INTERVAL_MS);
  const url = localUrl(fastify, Boolean(tls));
  const managementUrl = localUrl(management, Boolean(tls));
  logger.info({ url, managementUrl }, `${name} listening`);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      health.markShuttingDown();
      draining = true;
      // Unready but still serving: endpoints and ingress controllers notice the failing readiness
      // probe (or the pod's deletion) and stop sending here before we stop accepting.
      if (config.SHUTDOWN_DELAY_MS > 0) {
        logger.info({ delayMs: config.SHUTDOWN_DELAY_MS }, 'draining: unready, still serving');
        await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DELAY_MS));
      }
      reloader?.stop();
      // Stop accepting and let in-flight requests finish before pools close (Nest closes
      // providers before its HTTP server otherwise).
      await fastify.close();
      await app.close();
      await management.close();
      logger.info(`${name} stopped`);
      if (shipper) {
        await shipper.flush();
        shipper.close();
      }
    })());

  return { name, app, url, managementUrl, logger, close };
}

function tlsFilesOf(config: ServiceConfig): TlsFiles | undefined {
  if (!config.TLS_CERT_FILE && !config.TLS_KEY_FILE) return undefined;
  if (!config.TLS_CERT_FILE || !config.TLS_KEY_FILE) throw new Error('TLS_CERT_FILE and TLS_KEY_FILE go together');
  return { certFile: config.TLS_CERT_FILE, keyFile: config.TLS_KEY_FILE };
}

function localUrl(server: FastifyInstance, tls: boolean): string {
  const address = server.server.address();
  if (!address || typeof address === 'string') return String(address);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${tls ? 'https' : 'http'}://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
}

/**
 * SIGTERM/SIGINT: turn unready and keep serving for SHUTDOWN_DELAY_MS, stop accepting, finish in-flight
 * requests, close pools, exit 0 — or exit 1 when the draining takes longer than the shutdown timeout.
 */
export function exitOnSignals(services: RunningService[], timeoutMs: number, logger: Logger): void {
  const shutdown = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out; exiting');
      logger.flush(() => process.exit(1));
    }, timeoutMs);
    timer.unref();
    void Promise.allSettled(services.map((service) => service.close())).then(async (results) => {
      // Spans still batched are sent before exit (bounded by the same timeout).
      await stopTracing().catch((error: unknown) => logger.warn({ err: error }, 'flushing traces failed'));
      const failed = results.filter((result) => result.status === 'rejected');
      for (const failure of failed) logger.error({ err: (failure as PromiseRejectedResult).reason }, 'close failed');
      logger.flush(() => process.exit(failed.length ? 1 : 0));
    });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

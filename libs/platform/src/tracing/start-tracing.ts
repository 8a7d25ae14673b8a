import type { NodeSDK } from '@opentelemetry/sdk-node';
import { tracingConfigSchema } from '../config/config.schema';

export interface TraceIds {
  traceId: string;
  spanId: string;
}

let sdk: NodeSDK | undefined;
let currentIds: (() => TraceIds | undefined) | undefined;

/**
 * Starts OpenTelemetry tracing when OTEL_TRACES_ENABLED is true. It must run before Nest, pg, ioredis
 * and undici are required (the instrumentations patch modules as they load), so each app's main.ts
 * imports its `tracing.ts` first. Off, nothing of OpenTelemetry is loaded. Invalid settings leave
 * tracing off here; the full config validation right after reports them and exits.
 */
export function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const parsed = tracingConfigSchema.safeParse(env);
  if (!parsed.success || !parsed.data.OTEL_TRACES_ENABLED || sdk) return false;
  const settings = parsed.data;
  // Loaded only when enabled, so a service without tracing pays nothing for it.
  const otel = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const { NodeSDK: Sdk, tracing } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { HttpInstrumentation } =
    require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { PgInstrumentation } =
    require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { IORedisInstrumentation } =
    require('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis');
  const { UndiciInstrumentation } =
    require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
  sdk = new Sdk({
    serviceName: settings.OTEL_SERVICE_NAME ?? service,
    traceExporter: new OTLPTraceExporter({
      url: `${settings.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`,
    }),
    sampler: new tracing.ParentBasedSampler({
      root: new tracing.TraceIdRatioBasedSampler(settings.OTEL_TRACES_SAMPLER_RATIO),
    }),
    instrumentations: [
      // Probes and scrapes would drown the traces that matter.
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => /^\/(metrics|health)/.test(req.url ?? ''),
      }),
      // No query parameters in spans: they can carry password hashes and tokens.
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
      new IORedisInstrumentation(),
      new UndiciInstrumentation(),
    ],
    // Traces only: metrics are Prometheus on the management port, logs go to stdout.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  currentIds = () => {
    const context = otel.trace.getActiveSpan()?.spanContext();
    return context && otel.isSpanContextValid(context)
      ? { traceId: context.traceId, spanId: context.spanId }
      : undefined;
  };
  return true;
}

/** The active span's ids while tracing is on and a span is active (log lines carry them). */
export function activeTraceIds(): TraceIds | undefined {
  return currentIds?.();
}

export function tracingEnabled(): boolean {
  return currentIds !== undefined;
}

/** Flushes pending spans at shutdown. */
export async function stopTracing(): Promise<void> {
  await sdk?.shutdown();
  sdk = undefined;
  currentIds = undefined;
}

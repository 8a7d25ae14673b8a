import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ecsFormat } from '@elastic/ecs-pino-format';
import pino, { DestinationStream, Logger, LoggerOptions } from 'pino';
import { activeTraceIds, tracingEnabled } from '../tracing/start-tracing';
import { redactObject, sanitizeUrl, withoutQueryData } from './log-redaction';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Honour a well-formed incoming X-Request-Id (so a trace spans services), otherwise mint one. */
export function requestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** What a log line keeps of a request: never headers (but the user agent), bodies or secret parameters. */
function requestFields(req: {
  id?: string;
  method?: string;
  url?: string;
  ip?: string;
  headers?: Record<string, unknown>;
}) {
  return {
    id: req.id,
    method: req.method,
    url: sanitizeUrl(req.url),
    remoteAddress: req.ip,
    userAgent: req.headers?.['user-agent'],
  };
}

/** With tracing on, each line written while a span is active carries its ids (under these names). */
function traceMixin(traceKey: string, spanKey: string): Pick<LoggerOptions, 'mixin'> {
  if (!tracingEnabled()) return {};
  return {
    mixin: () => {
      const ids = activeTraceIds();
      return ids ? { [traceKey]: ids.traceId, [spanKey]: ids.spanId } : {};
    },
  };
}

/** pino settings shared by every logger of a service: JSON, ISO time, service name, redaction. */
export function pinoOptions(service: string, level: string): LoggerOptions {
  return {
    ...traceMixin('trace_id', 'span_id'),
    level,
    base: { service },
    messageKey: 'msg',
    timestamp: () => `,"@timestamp":"${new Date().toISOString()}"`,
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => redactObject(object) as Record<string, unknown>,
    },
    serializers: {
      err: (error: Error) => withoutQueryData(pino.stdSerializers.err(error)),
      req: requestFields,
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

/**
 * The same settings in Elastic Common Schema (`@timestamp`, `log.level`, `message`, `ecs.version`,
 * `service.name`); redaction runs before the ECS formatter, so no shipped line carries a secret, and
 * errors keep our `err` serializer (no SQL parameters).
 */
export function ecsPinoOptions(service: string, level: string): LoggerOptions {
  const ours = pinoOptions(service, level);
  const ecs = ecsFormat({ serviceName: service, convertErr: false, convertReqRes: false });
  const ecsLog = ecs.formatters?.log;
  return {
    ...ours,
    ...ecs,
    ...traceMixin('trace.id', 'span.id'),
    base: {},
    formatters: {
      ...ecs.formatters,
      log: (object) => {
        const { req, res, ...rest } = redactObject(object) as Record<string, unknown>;
        const ecsObject = ecsLog ? ecsLog(rest) : rest;
        // ECS names for what the `req`/`res` serializers keep (the ECS formatter would drop them).
        if (req) {
          const request = requestFields(req as Parameters<typeof requestFields>[0]);
          Object.assign(ecsObject, {
            'http.request.id': request.id,
            'http.request.method': request.method,
            'url.path': request.url,
            'client.address': request.remoteAddress,
            'user_agent.original': request.userAgent,
          });
        }
        if (res) ecsObject['http.response.status_code'] = (res as { statusCode?: number }).statusCode;
        return ecsObject;
      },
    },
  };
}

export interface LogOutput {
  format?: 'json' | 'ecs';
  /** A second destination (the Elasticsearch shipper) next to stdout. */
  ship?: DestinationStream;
}

/**
 * Logs go to stdout asynchronously (sonic-boom): a request never waits for the write, and lines that
 * pile up under load are written together. `exitOnSignals` flushes before the process exits.
 */
export function createLogger(
  service: string,
  level: string,
  destination?: DestinationStream,
  output: LogOutput = {},
): Logger {
  const options = output.format === 'ecs' ? ecsPinoOptions(service, level) : pinoOptions(service, level);
  const main = destination ?? pino.destination({ dest: 1, sync: false, minLength: 0 });
  if (!output.ship) return pino(options, main);
  return pino(
    options,
    pino.multistream([
      { stream: main, level: 'trace' },
      { stream: output.ship, level: 'trace' },
    ]),
  );
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import pino, { DestinationStream, Logger, LoggerOptions } from 'pino';
import { redactObject, sanitizeUrl, withoutQueryData } from './log-redaction';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Honour a well-formed incoming X-Request-Id (so a trace spans services), otherwise mint one. */
export function requestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** pino settings shared by every logger of a service: JSON, ISO time, service name, redaction. */
export function pinoOptions(service: string, level: string): LoggerOptions {
  return {
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
      req: (req: { id?: string; method?: string; url?: string; ip?: string; headers?: Record<string, unknown> }) => ({
        id: req.id,
        method: req.method,
        url: sanitizeUrl(req.url),
        remoteAddress: req.ip,
        userAgent: req.headers?.['user-agent'],
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

/**
 * Logs go to stdout asynchronously (sonic-boom): a request never waits for the write, and lines that
 * pile up under load are written together. `exitOnSignals` flushes before the process exits.
 */
export function createLogger(service: string, level: string, destination?: DestinationStream): Logger {
  return pino(pinoOptions(service, level), destination ?? pino.destination({ dest: 1, sync: false, minLength: 0 }));
}

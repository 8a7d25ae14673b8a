import type { z } from 'zod';
import type { ServiceConfig } from '../config/config.schema';
import { ConfigValidationError, loadConfig } from '../config/load-config';
import { exitOnSignals, ServiceDefinition, startService } from './start-service';

/** EX_CONFIG from sysexits.h: the process cannot start with this configuration. */
export const EXIT_CONFIG = 78;

/** A service's `main`: validate config (exit 78 naming each bad variable), start, stop on signals. */
export async function runService<S extends z.ZodType<ServiceConfig>>(
  name: string,
  schema: S,
  define: (config: z.infer<S>) => ServiceDefinition,
): Promise<void> {
  let config: z.infer<S>;
  try {
    config = loadConfig(name, schema);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(EXIT_CONFIG);
  }
  try {
    const service = await startService(define(config));
    exitOnSignals([service], config.SHUTDOWN_DELAY_MS + config.SHUTDOWN_TIMEOUT_MS, service.logger);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${JSON.stringify({ service: name, level: 'fatal', msg: `failed to start: ${message}` })}\n`);
    process.exit(1);
  }
}

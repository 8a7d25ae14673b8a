import { Writable } from 'node:stream';
import supertest from 'supertest';
import type { z } from 'zod';
import { loadConfig, RunningService, ServiceConfig, ServiceDefinition, startService } from '@cxauth/platform';
import { createTestDatabase, TestDatabase } from './test-database';
import { testEncryptionKey, TEST_REDIS_URL, uniqueRedisPrefix } from './test-env';

export interface TestApp {
  service: RunningService;
  /** supertest bound to the running HTTP listener (a real socket, not an injected request). */
  http: () => supertest.Agent;
  /** Every log line the service wrote, as raw JSON text. */
  logs: string[];
  close(): Promise<void>;
}

/** Standard environment for a service under test: ephemeral ports, quiet logs. */
export const TEST_SERVICE_ENV: Record<string, string> = {
  HOST: '127.0.0.1',
  PORT: '0',
  MANAGEMENT_PORT: '0',
  LOG_LEVEL: 'warn',
  ADMIN_USERNAME: 'ops',
  ADMIN_PASSWORD: 'ops',
  // The tests' short ops password (the boot policy itself is tested in e2e/foundation/boot-config).
  ADMIN_PASSWORD_MIN_LENGTH: '1',
  PUBLIC_BASE_URL: 'http://localhost:8080',
  AUTH_API_URL: 'http://127.0.0.1:9',
  SHUTDOWN_DELAY_MS: '0',
};

/** Environment for a service backed by a private test database and a private Redis key prefix. */
export function storageEnv(database: TestDatabase, redisPrefix = uniqueRedisPrefix()): Record<string, string> {
  return {
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '4',
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: redisPrefix,
    ENCRYPTION_KEY: testEncryptionKey(),
  };
}

/**
 * Boots a real service (the same assembly as production: real Fastify, real PostgreSQL and Redis
 * where the service uses them) on ephemeral ports. Only the environment differs.
 */
export async function createTestApp<S extends z.ZodType<ServiceConfig>>(
  schema: S,
  define: (config: z.infer<S>, overrides?: Partial<ServiceDefinition>) => ServiceDefinition,
  env: Record<string, string> = {},
): Promise<TestApp> {
  const logs: string[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const config = loadConfig('test', schema, { ...TEST_SERVICE_ENV, ...env });
  const service = await startService(define(config, { logDestination }));
  return {
    service,
    http: () => supertest.agent(service.url),
    logs,
    close: () => service.close(),
  };
}

/** A test database plus the storage environment for it; `cleanup` drops the database. */
export async function createTestStorage(): Promise<{ database: TestDatabase; env: Record<string, string> }> {
  const database = await createTestDatabase();
  return { database, env: storageEnv(database) };
}

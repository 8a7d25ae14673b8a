import { randomBytes } from 'node:crypto';

/** Where the tests find PostgreSQL (an admin connection that may CREATE DATABASE) and Redis. */
export const TEST_DATABASE_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Migrated once per run by the global setup; each test database is a copy of it. */
export const TEMPLATE_DATABASE = 'cxauth_test_template';

export function databaseUrl(name: string, base = TEST_DATABASE_ADMIN_URL): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** 32 random bytes, base64: a valid ENCRYPTION_KEY for a test. */
export function testEncryptionKey(): string {
  return randomBytes(32).toString('base64');
}

/** A Redis key prefix no other test file shares, so suites can run in parallel on one Redis. */
export function uniqueRedisPrefix(): string {
  return `test:${randomBytes(6).toString('hex')}:`;
}

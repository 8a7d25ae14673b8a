import { randomBytes } from 'node:crypto';

/** Where the tests find PostgreSQL (an admin connection that may CREATE DATABASE) and Redis. */
export const TEST_DATABASE_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/**
 * Each jest run has its own id (set by the global setup, inherited by the workers), so runs on one
 * machine — a developer's and CI's — never share or drop each other's databases.
 */
export function testRunId(): string {
  const id = process.env.CXAUTH_TEST_RUN_ID;
  if (!id) throw new Error('CXAUTH_TEST_RUN_ID is not set: run the tests through jest (global setup)');
  return id;
}

/** Migrated once per run by the global setup; each test database is a copy of it. */
export function templateDatabase(): string {
  return `cxauth_tpl_${testRunId()}`;
}

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

import { readFileSync } from 'node:fs';
import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '@cxauth/platform';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export const MIGRATIONS_TABLE = 'cxauth_migrations';

function sslOptions(config: DatabaseConfig) {
  if (config.DATABASE_SSL_MODE === 'disable') return false;
  const ca = config.DATABASE_SSL_CA_FILE ? readFileSync(config.DATABASE_SSL_CA_FILE, 'utf8') : undefined;
  return { rejectUnauthorized: config.DATABASE_SSL_MODE === 'verify-full', ca };
}

/** The one place the Postgres connection is described: pool, TLS, timeouts, schema. Never synchronize. */
export function dataSourceOptions(config: DatabaseConfig, poolSize = config.DATABASE_POOL_SIZE): DataSourceOptions {
  const url = new URL(config.DATABASE_URL);
  if (config.DATABASE_PASSWORD) url.password = encodeURIComponent(config.DATABASE_PASSWORD);
  return {
    type: 'postgres',
    url: url.toString(),
    ssl: sslOptions(config),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsRun: false,
    synchronize: false,
    logging: false,
    applicationName: 'cxauth',
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    poolSize,
    connectTimeoutMS: config.DATABASE_CONNECT_TIMEOUT_MS,
    extra: {
      statement_timeout: config.DATABASE_STATEMENT_TIMEOUT_MS,
      idleTimeoutMillis: 30_000,
    },
  };
}

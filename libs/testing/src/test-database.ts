import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { databaseUrl, templateDatabase, testRunId, TEST_DATABASE_ADMIN_URL } from './test-env';

export interface TestDatabase {
  name: string;
  url: string;
  /** Runs SQL directly (assertions on stored rows). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: TEST_DATABASE_ADMIN_URL });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/**
 * A private database for one test file: a copy of the migrated template (`migrated: true`) or an
 * empty one (for migration tests). Real PostgreSQL; dropped by `drop()`.
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const name = `cxauth_t_${testRunId()}_${randomBytes(4).toString('hex')}`;
  const template = options.migrated === false ? 'template0' : templateDatabase();
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  const url = databaseUrl(name);
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    name,
    url,
    query: async (sql, params) => (await client.query(sql, params)).rows,
    drop: async () => {
      await client.end();
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

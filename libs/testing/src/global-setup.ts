import { Client } from 'pg';
import { databaseConfigSchema } from '@cxauth/platform';
import { runMigrations } from '@cxauth/persistence';
import { databaseUrl, TEMPLATE_DATABASE, TEST_DATABASE_ADMIN_URL } from './test-env';

/** Once per jest run: a freshly migrated template database that test databases are copied from. */
export default async function globalSetup(): Promise<void> {
  const admin = new Client({ connectionString: TEST_DATABASE_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DATABASE}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
  } finally {
    await admin.end();
  }
  await runMigrations(databaseConfigSchema.parse({ DATABASE_URL: databaseUrl(TEMPLATE_DATABASE) }));
}

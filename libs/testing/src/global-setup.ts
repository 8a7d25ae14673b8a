import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { databaseConfigSchema } from '@cxauth/platform';
import { runMigrations } from '@cxauth/persistence';
import { databaseUrl, templateDatabase, TEST_DATABASE_ADMIN_URL } from './test-env';

/** Once per jest run: a freshly migrated template database that test databases are copied from. */
export default async function globalSetup(): Promise<void> {
  process.env.CXAUTH_TEST_RUN_ID = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const template = templateDatabase();
  const admin = new Client({ connectionString: TEST_DATABASE_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${template}"`);
  } finally {
    await admin.end();
  }
  await runMigrations(databaseConfigSchema.parse({ DATABASE_URL: databaseUrl(template) }));
}

import { Client } from 'pg';
import { testRunId, TEST_DATABASE_ADMIN_URL } from './test-env';

/** Drops the run's template and any test database a crashed test file left behind. */
export default async function globalTeardown(): Promise<void> {
  const runId = testRunId();
  const admin = new Client({ connectionString: TEST_DATABASE_ADMIN_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname LIKE $2`,
      [`cxauth_tpl_${runId}`, `cxauth_t_${runId}_%`],
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

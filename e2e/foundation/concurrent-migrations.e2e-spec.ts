import { Client } from 'pg';
import { databaseConfigSchema } from '@cxauth/platform';
import { createTestDatabase, TestDatabase } from '@cxauth/testing';
import { migrate, MIGRATION_LOCK, MIGRATIONS, pendingSchemaChanges } from '@cxauth/persistence';

// Two releases (or regions) upgrading at once run the same migrations against one database.
describe('migrations under the PostgreSQL advisory lock', () => {
  let database: TestDatabase;
  const config = () => databaseConfigSchema.parse({ DATABASE_URL: database.url });

  beforeEach(async () => {
    database = await createTestDatabase({ migrated: false });
  });
  afterEach(async () => {
    await database.drop();
  });

  it('two migrators started together run one after the other: all applied once, no error, no drift', async () => {
    const results = await Promise.all([migrate(config()), migrate(config())]);
    const applied = results.map((result) => result.applied).sort((a, b) => b.length - a.length);
    expect(applied).toEqual([MIGRATIONS.map((migration) => migration.name), []]);
    expect(await pendingSchemaChanges(config())).toEqual([]);
  });

  it('waits while another session holds the lock, then finds nothing left to do', async () => {
    await migrate(config());
    const holder = new Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK]);
      let settled = false;
      const waiting = migrate(config()).finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(settled).toBe(false);
      await holder.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK]);
      const result = await waiting;
      expect(result.applied).toEqual([]);
      expect(result.waitedMs).toBeGreaterThanOrEqual(700);
    } finally {
      await holder.end();
    }
  });
});

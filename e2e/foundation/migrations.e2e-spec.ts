import { getMetadataArgsStorage } from 'typeorm';
import { databaseConfigSchema } from '@cxauth/platform';
import { createTestDatabase, TestDatabase } from '@cxauth/testing';
import {
  ENTITIES,
  MIGRATIONS,
  MIGRATIONS_TABLE,
  pendingSchemaChanges,
  revertAllMigrations,
  runMigrations,
} from '@cxauth/persistence';

// Real PostgreSQL: an empty database per test file.
describe('schema migrations', () => {
  let database: TestDatabase;
  const config = () => databaseConfigSchema.parse({ DATABASE_URL: database.url });
  const userTables = async () =>
    (
      await database.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> $1 ORDER BY 1`,
        [MIGRATIONS_TABLE],
      )
    ).map((row) => row.table_name);

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => {
    await database.drop();
  });

  it('applies every migration on an empty database, in order, once', async () => {
    expect(await userTables()).toEqual([]);
    const applied = await runMigrations(config());
    expect(applied).toEqual(MIGRATIONS.map((migration) => migration.name));
    expect(await runMigrations(config())).toEqual([]);
    const entityTables = getMetadataArgsStorage()
      .tables.filter((table) => (ENTITIES as unknown[]).includes(table.target))
      .map((table) => table.name);
    expect(entityTables).toHaveLength(ENTITIES.length);
    expect(await userTables()).toEqual(expect.arrayContaining(entityTables as string[]));
  });

  it('leaves no drift between the entities and the migrated schema', async () => {
    expect(await pendingSchemaChanges(config())).toEqual([]);
  });

  it('reverts every migration back to an empty schema', async () => {
    const reverted = await revertAllMigrations(config());
    expect(reverted).toBe(MIGRATIONS.length);
    expect(await userTables()).toEqual([]);
    const rows = await database.query<{ count: number }>(`SELECT count(*)::int AS count FROM "${MIGRATIONS_TABLE}"`);
    expect(rows).toEqual([{ count: 0 }]);
  });

  it('applies again after a full revert (down migrations are complete)', async () => {
    await runMigrations(config());
    expect(await pendingSchemaChanges(config())).toEqual([]);
  });
});

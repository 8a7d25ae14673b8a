import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ConfigValidationError, databaseConfigSchema, EXIT_CONFIG, loadConfig } from '@cxauth/platform';
import type { DatabaseConfig } from '@cxauth/platform';
import { dataSourceOptions } from './data-source-options';

/** pg_advisory_lock key of the schema migrations ('cxau' 'migr' as two int4): one migrator per database. */
export const MIGRATION_LOCK = [0x63786175, 0x6d696772] as const;

/** What runs after the migrations, under the same lock (auth-api: the chart's client and signing key). */
export type AfterMigrations = (dataSource: DataSource) => Promise<Record<string, unknown>>;

export interface MigrationResult {
  applied: string[];
  /** What `after` reported, when given. */
  bootstrap?: Record<string, unknown>;
  /** How long this run waited for another migrator (another release or region) to finish. */
  waitedMs: number;
}

/**
 * Runs `work` holding a session-level PostgreSQL advisory lock, so two releases or regions migrating the
 * same database at once run one after the other instead of racing on the same DDL. The wait has no
 * statement timeout of its own; the migrations Job's deadline bounds it.
 */
async function withMigrationLock<T>(
  dataSource: DataSource,
  work: () => Promise<T>,
): Promise<{ result: T; waitedMs: number }> {
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SET statement_timeout = 0');
    const started = Date.now();
    await lock.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK]);
    const waitedMs = Date.now() - started;
    try {
      return { result: await work(), waitedMs };
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK]);
    }
  } finally {
    await lock.release();
  }
}

/**
 * Applies pending migrations, each in its own transaction, under the migrations lock; then `after`
 * under the same lock. A second run (or one that waited for another) applies nothing.
 */
export async function migrate(config: DatabaseConfig, after?: AfterMigrations): Promise<MigrationResult> {
  // Two connections: one holds the lock, the other runs the migrations.
  const dataSource = new DataSource(dataSourceOptions(config, 2));
  await dataSource.initialize();
  try {
    const { result, waitedMs } = await withMigrationLock(dataSource, async () => {
      const applied = (await dataSource.runMigrations({ transaction: 'each' })).map((migration) => migration.name);
      return { applied, bootstrap: after ? await after(dataSource) : undefined };
    });
    return { ...result, waitedMs };
  } finally {
    await dataSource.destroy();
  }
}

/** Applies pending migrations (under the migrations lock); returns the names applied. */
export async function runMigrations(config: DatabaseConfig): Promise<string[]> {
  return (await migrate(config)).applied;
}

/** Reverts every applied migration, newest first (used by tests and by operators rolling back). */
export async function revertAllMigrations(config: DatabaseConfig): Promise<number> {
  const dataSource = new DataSource(dataSourceOptions(config, 1));
  await dataSource.initialize();
  try {
    let reverted = 0;
    while ((await dataSource.query(`SELECT to_regclass($1) AS t`, [dataSource.options.migrationsTableName]))[0].t) {
      const [{ count }] = await dataSource.query(
        `SELECT count(*)::int AS count FROM "${dataSource.options.migrationsTableName}"`,
      );
      if (count === 0) break;
      await dataSource.undoLastMigration({ transaction: 'each' });
      reverted++;
    }
    return reverted;
  } finally {
    await dataSource.destroy();
  }
}

/** The SQL TypeORM would run to make the database match the entities; empty when there is no drift. */
export async function pendingSchemaChanges(config: DatabaseConfig): Promise<string[]> {
  const dataSource = new DataSource(dataSourceOptions(config, 1));
  await dataSource.initialize();
  try {
    const sql = await dataSource.driver.createSchemaBuilder().log();
    return sql.upQueries.map((query) => query.query);
  } finally {
    await dataSource.destroy();
  }
}

/** Entry point shared by every app's `migrate.js` (the Helm hook Job runs it). */
export async function migrateCommand(service: string, config: DatabaseConfig, after?: AfterMigrations): Promise<void> {
  const started = Date.now();
  const result = await migrate(config, after);
  process.stdout.write(
    `${JSON.stringify({ service, msg: 'migrations applied', ...result, durationMs: Date.now() - started })}\n`,
  );
}

/** An app's extra step after its migrations: the variables it reads and what it does with them. */
export interface MigrateBootstrap<S extends z.ZodObject> {
  schema: S;
  run(config: z.infer<S>): AfterMigrations;
}

/**
 * `node dist/apps/<app>/src/migrate.js`: needs the DATABASE_* variables, plus whatever the app's
 * bootstrap step reads.
 */
export async function runMigrateCommand<S extends z.ZodObject>(
  service: string,
  bootstrap?: MigrateBootstrap<S>,
): Promise<void> {
  // Both parts validated before anything runs, so every bad variable is named at once.
  const name = `${service} migrate`;
  const problems: string[] = [];
  const validate = <T extends z.ZodType>(schema: T): z.infer<T> | undefined => {
    try {
      return loadConfig(name, schema);
    } catch (error) {
      if (!(error instanceof ConfigValidationError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const config = validate(databaseConfigSchema);
  const extra = bootstrap && validate(bootstrap.schema);
  if (!config || problems.length > 0) {
    process.stderr.write(`${new ConfigValidationError(name, problems).message}\n`);
    process.exit(EXIT_CONFIG);
  }
  try {
    await migrateCommand(service, config, extra && bootstrap?.run(extra));
    process.exit(0);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${JSON.stringify({ service, level: 'fatal', msg: `migration failed: ${message}` })}\n`);
    process.exit(1);
  }
}

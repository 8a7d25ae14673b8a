import { DataSource } from 'typeorm';
import {
  ConfigValidationError,
  databaseConfigSchema,
  EXIT_CONFIG,
  loadConfig,
  type DatabaseConfig,
} from '@cxauth/platform';
import { dataSourceOptions } from './data-source-options';

/** Applies pending migrations, each in its own transaction; returns the names applied. */
export async function runMigrations(config: DatabaseConfig): Promise<string[]> {
  const dataSource = new DataSource(dataSourceOptions(config, 1));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
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
export async function migrateCommand(service: string, config: DatabaseConfig): Promise<void> {
  const started = Date.now();
  const applied = await runMigrations(config);
  process.stdout.write(
    `${JSON.stringify({ service, msg: 'migrations applied', applied, durationMs: Date.now() - started })}\n`,
  );
}

/** `node dist/apps/<app>/src/migrate.js`: needs only the DATABASE_* variables. */
export async function runMigrateCommand(service: string): Promise<void> {
  let config: DatabaseConfig;
  try {
    config = loadConfig(`${service} migrate`, databaseConfigSchema);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(EXIT_CONFIG);
  }
  try {
    await migrateCommand(service, config);
    process.exit(0);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${JSON.stringify({ service, level: 'fatal', msg: `migration failed: ${message}` })}\n`);
    process.exit(1);
  }
}

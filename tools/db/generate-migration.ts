/**
 * Writes a migration class with the SQL that brings a freshly migrated database in line with the
 * entities. Usage: npm run migration:generate -- <kebab-name> [--group auth|environment]
 * (needs PostgreSQL; TEST_DATABASE_URL). With --group only that service's tables are diffed, so work
 * in progress on the other service's entities does not leak into the migration.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { databaseConfigSchema } from '@cxauth/platform';
import { dataSourceOptions, ENTITY_GROUPS, runMigrations } from '@cxauth/persistence';

async function main(): Promise<void> {
  const name = process.argv[2];
  const groupFlag = process.argv.indexOf('--group');
  const group = groupFlag > 0 ? (process.argv[groupFlag + 1] as keyof typeof ENTITY_GROUPS) : undefined;
  if (group && !ENTITY_GROUPS[group]) throw new Error(`unknown group ${group}`);
  if (!name || !/^[a-z0-9-]+$/.test(name)) throw new Error('usage: generate-migration <kebab-case-name>');
  const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const scratch = `cxauth_migration_${Date.now()}`;
  const adminSource = new DataSource({ type: 'postgres', url: admin });
  await adminSource.initialize();
  await adminSource.query(`CREATE DATABASE "${scratch}"`);
  const url = new URL(admin);
  url.pathname = `/${scratch}`;
  const config = databaseConfigSchema.parse({ DATABASE_URL: url.toString() });
  try {
    await runMigrations(config);
    const options = dataSourceOptions(config);
    const dataSource = new DataSource(group ? { ...options, entities: ENTITY_GROUPS[group] } : options);
    await dataSource.initialize();
    const sql = await dataSource.driver.createSchemaBuilder().log();
    await dataSource.destroy();
    if (sql.upQueries.length === 0) {
      console.log('entities and migrations agree; nothing to generate');
      return;
    }
    const timestamp = Date.now();
    const className = `${name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase())}${timestamp}`;
    const lines = (queries: { query: string }[]) =>
      queries.map((q) => `    await queryRunner.query(${JSON.stringify(q.query)});`).join('\n');
    const file = join('libs/persistence/src/migrations', `${timestamp}-${name}.ts`);
    writeFileSync(
      file,
      `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${lines(sql.upQueries)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${lines([...sql.downQueries].reverse())}
  }
}
`,
    );
    console.log(`wrote ${file}; add ${className} to libs/persistence/src/migrations/index.ts`);
  } finally {
    await adminSource.query(`DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`);
    await adminSource.destroy();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

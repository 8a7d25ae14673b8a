/**
 * Writes a migration class with the SQL that brings a freshly migrated database in line with the
 * entities. Usage: npm run migration:generate -- <kebab-name>   (needs PostgreSQL; TEST_DATABASE_URL)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { databaseConfigSchema } from '@cxauth/platform';
import { dataSourceOptions, runMigrations } from '@cxauth/persistence';

async function main(): Promise<void> {
  const name = process.argv[2];
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
    const dataSource = new DataSource(dataSourceOptions(config));
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

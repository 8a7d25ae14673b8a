import { randomUUID } from 'node:crypto';
import { createTestApp, createTestStorage, TestApp, TestDatabase } from '@cxauth/testing';
import { authApiConfigSchema } from '../../auth-api.config';
import { authApiService } from '../../auth-api.service';

export const OPS_BASIC = 'Basic ' + Buffer.from('ops:ops').toString('base64');

export interface UsersTestContext {
  app: TestApp;
  database: TestDatabase;
  /** The Redis key prefix of this app (keys in Redis are `prefix + key`). */
  redisPrefix: string;
  close(): Promise<void>;
}

/** A real auth-api (real Fastify, PostgreSQL, Redis) on a private database. */
export async function startUsersApp(extraEnv: Record<string, string> = {}): Promise<UsersTestContext> {
  const { database, env } = await createTestStorage();
  const app = await createTestApp(authApiConfigSchema, authApiService, { ...env, ...extraEnv });
  return {
    app,
    database,
    redisPrefix: env.REDIS_KEY_PREFIX ?? '',
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

export interface SeededContactCenter {
  environmentId: string;
  contactCenterId: string;
}

/**
 * Writes an environment and a contact center with its login domains straight into environment-api's
 * tables (auth-api only reads them), so these tests do not depend on environment-api being up.
 */
export async function seedContactCenter(database: TestDatabase, domains: string[]): Promise<SeededContactCenter> {
  const environmentId = randomUUID();
  const contactCenterId = randomUUID();
  await database.query(
    `INSERT INTO environment (id, username, password_encrypted, app_name, config_servers) VALUES ($1, 'default', 'x', 'Cloud', '[]'::jsonb)`,
    [environmentId],
  );
  await database.query(`INSERT INTO contact_center (id, environment_id, auth) VALUES ($1, $2, 'local')`, [
    contactCenterId,
    environmentId,
  ]);
  for (const domain of domains) {
    await database.query(`INSERT INTO contact_center_domain (domain, contact_center_id) VALUES ($1, $2)`, [
      domain.toLowerCase(),
      contactCenterId,
    ]);
  }
  return { environmentId, contactCenterId };
}

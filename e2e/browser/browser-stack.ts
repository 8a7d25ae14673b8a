import { randomUUID } from 'node:crypto';
import supertest from 'supertest';
import Redis from 'ioredis';
import { authApiConfigSchema, authApiService } from '@cxauth/auth-api';
import { authUiConfigSchema, authUiService } from '@cxauth/auth-ui';
import { createTestApp, createTestStorage, TestApp, TestDatabase, TEST_REDIS_URL } from '@cxauth/testing';
import { ingressRoutes, RoutingProxy } from '@cxauth/local-stack';

export const OPS = { username: 'ops', password: 'ops' };

/** auth-api and auth-ui behind one origin, routed by path like the production ingress. */
export interface BrowserStack {
  /** The one public origin, e.g. http://127.0.0.1:40123 */
  baseUrl: string;
  api: TestApp;
  ui: TestApp;
  database: TestDatabase;
  redis: Redis;
  redisPrefix: string;
  http(): supertest.Agent;
  close(): Promise<void>;
}

export async function startBrowserStack(extraApiEnv: Record<string, string> = {}): Promise<BrowserStack> {
  // The public port first (the services' URLs depend on it); routes once they run.
  const proxy = await RoutingProxy.listen('127.0.0.1', 0);
  const baseUrl = proxy.url;
  const { database, env } = await createTestStorage();
  const api = await createTestApp(authApiConfigSchema, authApiService, {
    ...env,
    TRUST_PROXY: 'true',
    PUBLIC_BASE_URL: baseUrl,
    SIGN_IN_FAILURE_MIN_MS: '200',
    ...extraApiEnv,
  });
  const ui = await createTestApp(authUiConfigSchema, authUiService, {
    TRUST_PROXY: 'true',
    AUTH_API_URL: api.service.url,
  });
  proxy.route(ingressRoutes({ authApi: api.service.url, authUi: ui.service.url }));
  const redis = new Redis(TEST_REDIS_URL);
  return {
    baseUrl,
    api,
    ui,
    database,
    redis,
    redisPrefix: env.REDIS_KEY_PREFIX!,
    http: () => supertest.agent(baseUrl),
    close: async () => {
      await proxy.close();
      await Promise.allSettled([api.close(), ui.close()]);
      redis.disconnect();
      await database.drop();
    },
  };
}

/** A contact center with one login domain, written straight into environment-api's tables. */
export async function seedTenant(database: TestDatabase, domain: string): Promise<string> {
  const environmentId = randomUUID();
  const contactCenterId = randomUUID();
  await database.query(
    `INSERT INTO environment (id, username, password_encrypted, app_name, config_servers) VALUES ($1, 'default', 'x', 'Cloud', '[]')`,
    [environmentId],
  );
  await database.query(`INSERT INTO contact_center (id, environment_id, auth) VALUES ($1, $2, 'local')`, [
    contactCenterId,
    environmentId,
  ]);
  await database.query(`INSERT INTO contact_center_domain (domain, contact_center_id) VALUES ($1, $2)`, [
    domain.toLowerCase(),
    contactCenterId,
  ]);
  return contactCenterId;
}

export async function seedUser(
  stack: BrowserStack,
  contactCenterId: string,
  username: string,
  password: string,
): Promise<void> {
  const response = await stack
    .http()
    .post('/auth/v3/ops/users')
    .auth(OPS.username, OPS.password)
    .send({
      data: { contactCenterId, username, password, firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
    });
  if (response.status !== 200)
    throw new Error(`create user failed: ${response.status} ${JSON.stringify(response.body)}`);
}

export async function seedClient(stack: BrowserStack, data: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await stack
    .http()
    .post('/auth/v3/ops/clients')
    .auth(OPS.username, OPS.password)
    .send({
      data: {
        authorities: [],
        scope: ['*'],
        accessTokenExpirationTimeout: 3600,
        refreshTokenExpirationTimeout: 43200,
        ...data,
      },
    });
  if (response.status !== 200)
    throw new Error(`create client failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.data as Record<string, unknown>;
}

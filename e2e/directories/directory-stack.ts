import supertest from 'supertest';
import type { FastifyInstance } from 'fastify';
import { authApiConfigSchema, authApiService } from '@cxauth/auth-api';
import { authUiConfigSchema, authUiService } from '@cxauth/auth-ui';
import { environmentApiConfigSchema, environmentApiService } from '@cxauth/environment-api';
import { startRoutingProxy } from '@cxauth/local-stack';
import { freePort } from '@cxauth/platform';
import {
  createTestApp,
  createTestStorage,
  SLAPD_GROUPS,
  SLAPD_PEOPLE,
  SlapdServer,
  TestApp,
  TestDatabase,
} from '@cxauth/testing';

export { seedSampleDirectory as seedLdap } from '@cxauth/testing';

export const OPS = { username: 'ops', password: 'ops' };

/** auth-api, environment-api and auth-ui on real PostgreSQL and Redis behind one routing origin. */
export interface DirectoryStack {
  baseUrl: string;
  authApi: TestApp;
  environmentApi: TestApp;
  database: TestDatabase;
  http(): supertest.Agent;
  close(): Promise<void>;
}

export async function startDirectoryStack(authEnv: Record<string, string> = {}): Promise<DirectoryStack> {
  const { database, env } = await createTestStorage();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const apps: TestApp[] = [];
  let proxy: FastifyInstance | undefined;
  try {
    const authApi = await createTestApp(authApiConfigSchema, authApiService, {
      ...env,
      PUBLIC_BASE_URL: baseUrl,
      TRUST_PROXY: 'true',
      SIGN_IN_FAILURE_MIN_MS: '100',
      DIRECTORY_PROBE_INTERVAL_MS: '200',
      ...authEnv,
    });
    apps.push(authApi);
    const environmentApi = await createTestApp(environmentApiConfigSchema, environmentApiService, {
      ...env,
      AUTH_API_URL: authApi.service.url,
    });
    apps.push(environmentApi);
    const authUi = await createTestApp(authUiConfigSchema, authUiService, {
      TRUST_PROXY: 'true',
      AUTH_API_URL: authApi.service.url,
    });
    apps.push(authUi);
    proxy = await startRoutingProxy(
      [
        { prefix: '/ui/auth', upstream: authUi.service.url },
        { prefix: '/auth', upstream: authApi.service.url },
        { prefix: '/environment', upstream: environmentApi.service.url },
      ],
      '127.0.0.1',
      port,
    );
    return {
      baseUrl,
      authApi,
      environmentApi,
      database,
      http: () => supertest.agent(baseUrl),
      close: async () => {
        await proxy?.close();
        await Promise.allSettled(apps.map((app) => app.close()));
        await database.drop();
      },
    };
  } catch (error) {
    await proxy?.close();
    await Promise.allSettled(apps.map((app) => app.close()));
    await database.drop();
    throw error;
  }
}

/** Environment-api call with the ops Basic credential; fails loudly unless status code 0. */
export async function provision(stack: DirectoryStack, method: 'post' | 'put', path: string, data: unknown) {
  const response = await stack.http()[method](`/environment/v3${path}`).auth(OPS.username, OPS.password).send({ data });
  if (response.body?.status?.code !== 0) {
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response;
}

export async function createClient(stack: DirectoryStack, data: Record<string, unknown>): Promise<string> {
  const response = await stack
    .http()
    .post('/auth/v3/ops/clients')
    .auth(OPS.username, OPS.password)
    .send({ data: { scope: ['*'], authorities: [], accessTokenExpirationTimeout: 3600, ...data } });
  if (response.status !== 200) throw new Error(`create client: ${response.status} ${JSON.stringify(response.body)}`);
  return String(response.body.data.client_secret ?? '');
}

export function ldapDirectory(server: SlapdServer, overrides: Record<string, unknown> = {}) {
  return {
    urls: [server.ldapsUrl],
    caCertificate: server.ca,
    bindDn: `uid=cxauth,${SLAPD_PEOPLE}`,
    bindPassword: 'service-secret',
    userBaseDn: SLAPD_PEOPLE,
    groupBaseDn: SLAPD_GROUPS,
    groupAuthorities: { agents: ['ROLE_AGENT'] },
    allowPasswordChange: true,
    ...overrides,
  };
}

/** Polls until `check` holds (bounded): probes and watches run on timers. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

import supertest from 'supertest';
import { startInProcessStack } from '../provisioning/in-process-stack';
import { SLAPD_GROUPS, SLAPD_PEOPLE, SlapdServer, TestApp, TestDatabase } from '@cxauth/testing';

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

/** The shared in-process stack, with fast probes and short failure padding for directory tests. */
export async function startDirectoryStack(authEnv: Record<string, string> = {}): Promise<DirectoryStack> {
  const stack = await startInProcessStack({
    authApiEnv: { TRUST_PROXY: 'true', SIGN_IN_FAILURE_MIN_MS: '100', DIRECTORY_PROBE_INTERVAL_MS: '200', ...authEnv },
    authUiEnv: { TRUST_PROXY: 'true' },
  });
  return {
    baseUrl: stack.baseUrl,
    authApi: stack.authApi,
    environmentApi: stack.environmentApi,
    database: stack.database,
    http: () => supertest.agent(stack.baseUrl),
    close: () => stack.stop(),
  };
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

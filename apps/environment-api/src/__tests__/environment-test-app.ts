import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestApp, createTestStorage, TestApp, TestDatabase } from '@cxauth/testing';
import { environmentApiConfigSchema } from '../environment-api.config';
import { environmentApiService } from '../environment-api.service';

export const OPS = { user: 'ops', password: 'ops' };

export interface EnvironmentTestContext {
  app: TestApp;
  database: TestDatabase;
  env: Record<string, string>;
  close(): Promise<void>;
}

/** environment-api on a private PostgreSQL database and Redis prefix (real both). */
export async function startEnvironmentApi(extraEnv: Record<string, string> = {}): Promise<EnvironmentTestContext> {
  const { database, env } = await createTestStorage();
  const fullEnv = { ...env, ...extraEnv };
  const app = await createTestApp(environmentApiConfigSchema, environmentApiService, fullEnv);
  return {
    app,
    database,
    env: fullEnv,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

export function environmentBody(overrides: Record<string, unknown> = {}): { data: Record<string, unknown> } {
  return {
    data: {
      username: 'default',
      password: 'cfg-secret-Pa55',
      connectionProtocol: 'addp',
      remoteTimeout: 7,
      appName: 'Cloud',
      traceMode: 'CFGTMBoth',
      tlsEnabled: false,
      configServers: [{ primaryPort: 2020, readOnly: false, primaryAddress: '172.24.132.84', locations: '/USW1' }],
      localTimeout: 5,
      tenant: 'Environment',
      ...overrides,
    },
  };
}

export interface FakeUserInfo {
  url: string;
  calls: string[];
  close(): Promise<void>;
}

/**
 * A small real HTTP server implementing exactly auth-api's `GET /auth/v3/userinfo` contract
 * (CloudUserDetails for a known bearer token, 401 otherwise). Used where the test is about
 * environment-api's side of the contract (caching, authorities); the provisioning e2e uses the real auth-api.
 */
export async function startFakeUserInfo(tokens: Record<string, Record<string, unknown>>): Promise<FakeUserInfo> {
  const calls: string[] = [];
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
    if (request.url !== '/auth/v3/userinfo' || !match?.[1]) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_token"}');
      return;
    }
    calls.push(match[1]);
    const details = tokens[match[1]];
    if (!details) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_token"}');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(details));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import Fastify, { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { CorsPolicy, httpCorsOriginLoader, registerCors } from '@cxauth/platform';
import { environmentApiConfigSchema, environmentApiService } from '@cxauth/environment-api';
import { createTestApp, createTestStorage, TestApp, TestDatabase } from '@cxauth/testing';

/**
 * How a service without the database (auth-ui) gets the CORS origins: it polls environment-api's
 * `GET /environment/v3/cors` with the ops credentials (httpCorsOriginLoader) and applies them with the
 * same `registerCors` hook. Real environment-api on PostgreSQL/Redis; a bare Fastify stands in for the
 * page server.
 */
let database: TestDatabase;
let environmentApi: TestApp;
let page: FastifyInstance;
let policy: CorsPolicy;

beforeAll(async () => {
  const storage = await createTestStorage();
  database = storage.database;
  environmentApi = await createTestApp(environmentApiConfigSchema, environmentApiService, storage.env);
  policy = new CorsPolicy({
    load: httpCorsOriginLoader({ environmentApiUrl: environmentApi.service.url, username: 'ops', password: 'ops' }),
    defaultPolicy: 'allow',
    refreshIntervalMs: 50,
  });
  await policy.start();
  page = Fastify();
  await registerCors(page, policy);
  page.get('/ui/auth/version.json', async () => ({ version: 'test' }));
  await page.listen({ port: 0, host: '127.0.0.1' });
}, 60_000);
afterAll(async () => {
  policy?.stop();
  await page?.close();
  await environmentApi?.close();
  await database?.drop();
});

async function preflightStatus(origin: string): Promise<number> {
  const response = await page.inject({
    method: 'OPTIONS',
    url: '/ui/auth/version.json',
    headers: { origin, 'access-control-request-method': 'GET', host: 'gauth.example.com' },
  });
  return response.statusCode;
}

async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + 3_000;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

it('follows environment-api: everything allowed while empty, then only the configured origins', async () => {
  expect(policy.isLoaded).toBe(true);
  expect(await preflightStatus('https://any.example')).toBe(204);

  const ops = () => environmentApi.http().auth('ops', 'ops');
  const environmentId = randomUUID();
  await ops()
    .post('/environment/v3/environments')
    .send({
      data: {
        id: environmentId,
        username: 'u',
        password: 'p',
        appName: 'Cloud',
        configServers: [{ primaryAddress: 'cfg', primaryPort: 8888 }],
      },
    })
    .expect(200);
  const contactCenterId = randomUUID();
  await ops()
    .post('/environment/v3/contact-centers')
    .send({ data: { id: contactCenterId, environmentId, domains: ['ui-tenant'], auth: 'configServer' } })
    .expect(200);
  await ops()
    .post(`/environment/v3/contact-centers/${contactCenterId}/settings`)
    .send({ data: { location: '/', name: 'cors-origins', shared: 'true', value: 'https://wwe.example.com' } })
    .expect(200);

  expect(await eventually(async () => (await preflightStatus('https://any.example')) === 403)).toBe(true);
  expect(await preflightStatus('https://wwe.example.com')).toBe(204);
});

it('fails closed until the first successful load (environment-api unreachable)', async () => {
  const stale = new CorsPolicy({
    load: httpCorsOriginLoader({
      environmentApiUrl: 'http://127.0.0.1:9',
      username: 'ops',
      password: 'ops',
      timeoutMs: 200,
    }),
    defaultPolicy: 'allow',
    refreshIntervalMs: 0,
  });
  await stale.start();
  expect(stale.isLoaded).toBe(false);
  expect(stale.isAllowed('https://any.example')).toBe(false);
});

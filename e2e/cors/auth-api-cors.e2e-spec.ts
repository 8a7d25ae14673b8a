import { authApiConfigSchema, authApiService } from '@cxauth/auth-api';
import { environmentApiConfigSchema, environmentApiService } from '@cxauth/environment-api';
import { OPS, provisionContactCenter } from './provision-contact-center';
import { createTestApp, createTestStorage, TestApp, TestDatabase } from '@cxauth/testing';

const ALLOWED = 'https://wwe.example.com';
const LATER = 'https://gws.example.com';
const REFUSED = 'https://evil.example.net';

async function waitFor(predicate: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await predicate()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

// auth-api and environment-api on one real PostgreSQL database and one Redis key prefix, as deployed.
describe('auth-api answers CORS from the origins configured through environment-api', () => {
  let database: TestDatabase;
  let authApi: TestApp;
  let environmentApi: TestApp;
  let contactCenterId: string;

  const preflight = (origin: string) =>
    authApi
      .http()
      .options('/auth/v3/oauth/token')
      .set('Origin', origin)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');

  beforeAll(async () => {
    const storage = await createTestStorage();
    database = storage.database;
    environmentApi = await createTestApp(environmentApiConfigSchema, environmentApiService, storage.env);
    contactCenterId = await provisionContactCenter(environmentApi);
    await environmentApi
      .http()
      .post(`/environment/v3/contact-centers/${contactCenterId}/settings`)
      .set('Authorization', OPS)
      .send({ data: { location: '/', name: 'cors-origins', shared: 'true', value: ALLOWED } })
      .expect(200);
    authApi = await createTestApp(authApiConfigSchema, authApiService, storage.env);
  });

  afterAll(async () => {
    await authApi.close();
    await environmentApi.close();
    await database.drop();
  });

  it('answers a preflight from a configured origin', async () => {
    const response = await preflight(ALLOWED).expect(204);
    expect(response.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(response.headers['access-control-allow-credentials']).toBe('true');
    expect(response.headers['access-control-allow-methods']).toContain('POST');
    expect(response.headers.vary).toContain('Origin');
  });

  it('refuses a preflight from any other origin, in the envelope', async () => {
    const response = await preflight(REFUSED).expect(403);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.body).toEqual({ status: { code: 4, message: expect.stringContaining(REFUSED) } });
  });

  it('picks up an origin added on environment-api without a restart (Redis notification)', async () => {
    await preflight(LATER).expect(403);
    await environmentApi
      .http()
      .post('/environment/v3/cors')
      .set('Authorization', OPS)
      .send({ data: { contactCenterId, origin: LATER } })
      .expect(200);
    await waitFor(async () => (await preflight(LATER)).status === 204, 3_000);
  });

  it('leaves server-to-server calls (no Origin) alone', async () => {
    const response = await authApi.http().get('/auth/v3/.well-known/openid-configuration').expect(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

import { authUiConfigSchema, authUiService } from '@cxauth/auth-ui';
import { environmentApiConfigSchema, environmentApiService } from '@cxauth/environment-api';
import { OPS, provisionContactCenter } from './provision-contact-center';
import { createTestApp, createTestStorage, TestApp, TestDatabase } from '@cxauth/testing';

const ALLOWED = 'https://wwe.example.com';
const REFUSED = 'https://evil.example.net';

// Real environment-api on PostgreSQL/Redis; the real auth-ui polls it for the origins.
describe('auth-ui answers CORS from the origins configured through environment-api', () => {
  let database: TestDatabase;
  let environmentApi: TestApp;
  let contactCenterId: string;
  let authUi: TestApp;
  let sameOriginOnly: TestApp;

  const preflight = (app: TestApp, origin: string) =>
    app.http().options('/ui/auth/version.json').set('Origin', origin).set('Access-Control-Request-Method', 'GET');

  beforeAll(async () => {
    const storage = await createTestStorage();
    database = storage.database;
    environmentApi = await createTestApp(environmentApiConfigSchema, environmentApiService, storage.env);
    contactCenterId = await provisionContactCenter(environmentApi);
    await environmentApi
      .http()
      .post('/environment/v3/cors')
      .set('Authorization', OPS)
      .send({ data: { contactCenterId, origin: ALLOWED } })
      .expect(200);
    authUi = await createTestApp(authUiConfigSchema, authUiService, {
      ENVIRONMENT_API_URL: environmentApi.service.url,
      ADMIN_USERNAME: 'ops',
      ADMIN_PASSWORD: 'ops',
    });
    sameOriginOnly = await createTestApp(authUiConfigSchema, authUiService, {});
  });

  afterAll(async () => {
    await sameOriginOnly.close();
    await authUi.close();
    await environmentApi.close();
    await database.drop();
  });

  it('answers a preflight from a configured origin and refuses another', async () => {
    const allowed = await preflight(authUi, ALLOWED).expect(204);
    expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED);
    const refused = await preflight(authUi, REFUSED).expect(403);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sets the CORS headers on ordinary answers to a configured origin only', async () => {
    const allowed = await authUi.http().get('/ui/auth/version.json').set('Origin', ALLOWED).expect(200);
    expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED);
    const refused = await authUi.http().get('/ui/auth/version.json').set('Origin', REFUSED).expect(200);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('without ENVIRONMENT_API_URL answers same-origin only (no CORS headers)', async () => {
    const response = await sameOriginOnly.http().get('/ui/auth/version.json').set('Origin', ALLOWED).expect(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses ENVIRONMENT_API_URL without the ops credentials at boot', async () => {
    await expect(
      createTestApp(authUiConfigSchema, authUiService, {
        ENVIRONMENT_API_URL: 'http://127.0.0.1:9',
        ADMIN_USERNAME: '',
        ADMIN_PASSWORD: '',
      }),
    ).rejects.toThrow(/ADMIN_USERNAME and ADMIN_PASSWORD are required with ENVIRONMENT_API_URL/);
  });
});

import { createTestApp, createTestStorage, TcpProxy, TestApp, TestDatabase } from '@cxauth/testing';
import { authApiConfigSchema } from '../../auth-api.config';
import { authApiService } from '../../auth-api.service';
import { createClient } from '../../testing/auth-api-test-app';

/**
 * Steady state of the hot paths: once the client and its secret are cached, client_credentials and
 * userinfo need no PostgreSQL at all — proven by cutting the database connection.
 */
describe('hot paths without PostgreSQL', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let app: TestApp;

  beforeAll(async () => {
    const storage = await createTestStorage();
    database = storage.database;
    proxy = new TcpProxy('127.0.0.1', 5432);
    await proxy.start();
    const url = new URL(storage.env.DATABASE_URL!);
    url.port = String(proxy.port);
    app = await createTestApp(authApiConfigSchema, authApiService, {
      ...storage.env,
      DATABASE_URL: url.toString(),
      DATABASE_CONNECT_TIMEOUT_MS: '500',
      DATABASE_STATEMENT_TIMEOUT_MS: '1000',
    });
    await createClient(app, {
      client_id: 'svc',
      client_secret: 'svc-secret',
      authorizedGrantTypes: ['client_credentials'],
    });
  });
  afterAll(async () => {
    await proxy.start().catch(() => undefined);
    await app.close();
    await proxy.stop();
    await database.drop();
  });

  const clientCredentials = () =>
    app
      .http()
      .post('/auth/v3/oauth/token')
      .auth('svc', 'svc-secret')
      .type('form')
      .send({ grant_type: 'client_credentials' });

  it('keeps issuing client_credentials tokens and answering userinfo while the database is unreachable', async () => {
    const warm = await clientCredentials();
    expect(warm.status).toBe(200);
    await proxy.cut();

    const issued = await clientCredentials();
    expect(issued.status).toBe(200);
    const userinfo = await app
      .http()
      .get('/auth/v3/userinfo')
      .set('Authorization', `Bearer ${issued.body.access_token}`);
    expect(userinfo.status).toBe(200);
    expect(userinfo.body.username).toBe('svc');

    // Proof that the cut is real: anything that needs PostgreSQL fails now.
    const list = await app.http().get('/auth/v3/ops/clients').auth('ops', 'ops');
    expect(list.status).toBeGreaterThanOrEqual(500);
  });
});

import { createTestApp, createTestStorage, TestApp, TestDatabase } from '@cxauth/testing';
import { authApiConfigSchema } from '../../auth-api.config';
import { authApiService } from '../../auth-api.service';
import { createClient, OPS } from '../../testing/auth-api-test-app';

/** Two replicas on one database and one Redis: a change on one is seen at once by the other's cache. */
describe('ClientRegistry invalidation across replicas (Redis pub/sub)', () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const storage = await createTestStorage();
    database = storage.database;
    a = await createTestApp(authApiConfigSchema, authApiService, storage.env);
    b = await createTestApp(authApiConfigSchema, authApiService, storage.env);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await database.drop();
  });

  const tokenOn = (app: TestApp, secret: string) =>
    app
      .http()
      .post('/auth/v3/oauth/token')
      .auth('shared', secret)
      .type('form')
      .send({ grant_type: 'client_credentials' });

  /** Pub/sub is asynchronous: poll briefly for the other replica to converge. */
  async function eventually(check: () => Promise<boolean>): Promise<boolean> {
    for (let attempt = 0; attempt < 20; attempt++) {
      if (await check()) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  }

  it('a secret rotation and a delete on replica A take effect on replica B', async () => {
    await createClient(a, {
      client_id: 'shared',
      client_secret: 'first-secret',
      authorizedGrantTypes: ['client_credentials'],
    });
    // B caches the client and the verified secret.
    expect((await tokenOn(b, 'first-secret')).status).toBe(200);
    expect((await tokenOn(b, 'first-secret')).status).toBe(200);

    await a
      .http()
      .put('/auth/v3/ops/clients/shared')
      .auth(OPS.username, OPS.password)
      .send({ data: { client_secret: 'second-secret' } })
      .expect(200);
    expect(await eventually(async () => (await tokenOn(b, 'first-secret')).status === 401)).toBe(true);
    expect((await tokenOn(b, 'second-secret')).status).toBe(200);

    await a.http().delete('/auth/v3/ops/clients/shared').auth(OPS.username, OPS.password).expect(200);
    expect(await eventually(async () => (await tokenOn(b, 'second-secret')).status === 401)).toBe(true);
  });

  it('a client created on A is usable on B right after B looked it up as unknown', async () => {
    const unknown = await b
      .http()
      .post('/auth/v3/oauth/token')
      .auth('late', 'late-secret-1')
      .type('form')
      .send({ grant_type: 'client_credentials' });
    expect(unknown.status).toBe(401);
    await createClient(a, {
      client_id: 'late',
      client_secret: 'late-secret-1',
      authorizedGrantTypes: ['client_credentials'],
    });
    expect(
      await eventually(
        async () =>
          (
            await b
              .http()
              .post('/auth/v3/oauth/token')
              .auth('late', 'late-secret-1')
              .type('form')
              .send({ grant_type: 'client_credentials' })
          ).status === 200,
      ),
    ).toBe(true);
  });
});

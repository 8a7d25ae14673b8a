import { createTestApp, createTestStorage, TcpProxy, TestApp, TestDatabase, TEST_REDIS_URL } from '@cxauth/testing';
import { authApiConfigSchema } from '../../auth-api.config';
import { authApiService } from '../../auth-api.service';
import { createClient } from '../../testing/auth-api-test-app';

/**
 * Fail fast and honestly (issue 18): with PostgreSQL or Redis cut at a TCP relay, the endpoints that
 * need the missing store answer 503 at once (OAuth `temporarily_unavailable`, envelope code 14), the
 * others keep working, and everything recovers when the relay is back.
 */
describe('auth-api while PostgreSQL or Redis is unreachable', () => {
  const redisUrl = new URL(TEST_REDIS_URL);
  const redisRelay = new TcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379));
  let postgresRelay: TcpProxy;
  let database: TestDatabase;
  let app: TestApp;
  let accessToken: string;

  beforeAll(async () => {
    const storage = await createTestStorage();
    database = storage.database;
    const databaseUrl = new URL(storage.env.DATABASE_URL!);
    postgresRelay = new TcpProxy(databaseUrl.hostname, Number(databaseUrl.port || 5432));
    await Promise.all([redisRelay.start(), postgresRelay.start()]);
    databaseUrl.host = `127.0.0.1:${postgresRelay.port}`;
    app = await createTestApp(authApiConfigSchema, authApiService, {
      ...storage.env,
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL: `redis://127.0.0.1:${redisRelay.port}`,
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
    });
    await createClient(app, {
      client_id: 'svc',
      client_secret: 'svc-secret',
      authorizedGrantTypes: ['client_credentials', 'password', 'refresh_token'],
    });
    accessToken = (await clientCredentials()).body.access_token as string;
  });
  afterAll(async () => {
    await app.close();
    await Promise.all([redisRelay.stop(), postgresRelay.stop()]);
    await database.drop();
  });

  /** A token-endpoint form post as the confidential client `svc`. */
  const token = (form: Record<string, string>) =>
    app.http().post('/auth/v3/oauth/token').auth('svc', 'svc-secret').type('form').send(form);
  const clientCredentials = () => token({ grant_type: 'client_credentials' });
  const userinfo = () => app.http().get('/auth/v3/userinfo').set('Authorization', `Bearer ${accessToken}`);
  const introspect = () =>
    app.http().post('/auth/v3/oauth/introspect').auth('svc', 'svc-secret').type('form').send({ token: accessToken });
  const listClients = () => app.http().get('/auth/v3/ops/clients').auth('ops', 'ops');
  const timed = async <T>(call: () => Promise<T>): Promise<{ response: T; ms: number }> => {
    const started = performance.now();
    const response = await call();
    return { response, ms: performance.now() - started };
  };
  /** Polls until `probe` answers 200: the pools reconnect on their own. */
  const recovered = async (probe: () => Promise<{ status: number }>) => {
    for (let attempt = 0; attempt < 100; attempt++) {
      if ((await probe()).status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('no recovery');
  };

  it('Redis away: token, introspection and userinfo answer 503 without stalling; the ops API keeps working', async () => {
    await redisRelay.cut();
    try {
      const issued = await timed(clientCredentials);
      expect(issued.response.status).toBe(503);
      expect(issued.response.body).toEqual({
        error: 'temporarily_unavailable',
        error_description: 'Redis is unavailable; try again',
      });
      expect(issued.response.headers['cache-control']).toBe('no-store');
      expect(issued.response.headers['retry-after']).toBe('1');
      const introspection = await timed(introspect);
      expect(introspection.response.status).toBe(503);
      expect(introspection.response.body.error).toBe('temporarily_unavailable');
      const info = await timed(userinfo);
      expect(info.response.status).toBe(503);
      expect(info.response.body).toEqual({ status: { code: 14, message: 'Redis is unavailable; try again' } });
      // The 100 ms promise is measured in the fault suite; here only "no stall" on a loaded machine.
      for (const { ms } of [issued, introspection, info]) expect(ms).toBeLessThan(1_000);

      expect((await listClients()).status).toBe(200);
    } finally {
      await redisRelay.start();
    }
    await recovered(clientCredentials);
    expect((await userinfo()).status).toBe(200);
  });

  it('PostgreSQL away: the ops API and refresh answer 503 without stalling; client_credentials and userinfo keep working', async () => {
    const login = await token({ grant_type: 'password', username: 'ops', password: 'ops' });
    expect(login.status).toBe(200);
    await postgresRelay.cut();
    try {
      const ops = await timed(listClients);
      expect(ops.response.status).toBe(503);
      expect(ops.response.body).toEqual({ status: { code: 14, message: 'PostgreSQL is unavailable; try again' } });
      const refresh = await timed(() =>
        token({ grant_type: 'refresh_token', refresh_token: login.body.refresh_token }),
      );
      expect(refresh.response.status).toBe(503);
      expect(refresh.response.body.error).toBe('temporarily_unavailable');
      for (const { ms } of [ops, refresh]) expect(ms).toBeLessThan(1_500);

      expect((await clientCredentials()).status).toBe(200);
      expect((await userinfo()).status).toBe(200);
    } finally {
      await postgresRelay.start();
    }
    await recovered(listClients);
    const refresh = await token({ grant_type: 'refresh_token', refresh_token: login.body.refresh_token });
    expect(refresh.status).toBe(200);
  });

  it('Redis away: a password grant is refused before its work (no argon2, no PostgreSQL), a refresh before its rotation; the refresh token stays usable', async () => {
    const login = await token({ grant_type: 'password', username: 'ops', password: 'ops' });
    expect(login.status).toBe(200);
    const refresh = () => token({ grant_type: 'refresh_token', refresh_token: login.body.refresh_token });
    await redisRelay.cut();
    try {
      const refused = await refresh();
      expect(refused.status).toBe(503);
      expect(refused.body).toEqual({
        error: 'temporarily_unavailable',
        error_description: 'Redis is unavailable; try again',
      });
      expect(refused.headers['server-timing']).toMatch(/^app;dur=\d+(\.\d)?$/);
      // PostgreSQL is cut too: an answer naming Redis shows the password grant stopped before it.
      await postgresRelay.cut();
      const password = await token({ grant_type: 'password', username: 'ops', password: 'ops' });
      expect(password.status).toBe(503);
      expect(password.body.error_description).toBe('Redis is unavailable; try again');
      // A malformed request is still told so.
      const malformed = await token({ grant_type: 'refresh_token' });
      expect(malformed.status).toBe(400);
    } finally {
      await Promise.all([redisRelay.start(), postgresRelay.start()]);
    }
    await recovered(clientCredentials);
    await recovered(listClients);
    expect((await refresh()).status).toBe(200);
  });

  it('names Redis and REDIS_URL when it cannot reach Redis at boot', async () => {
    const storage = await createTestStorage();
    try {
      await expect(
        createTestApp(authApiConfigSchema, authApiService, {
          ...storage.env,
          REDIS_URL: 'redis://127.0.0.1:9',
          REDIS_COMMAND_TIMEOUT_MS: '100',
        }),
      ).rejects.toThrow(/^Redis is unreachable at redis:\/\/127\.0\.0\.1:9 \(check REDIS_URL.*ECONNREFUSED/);
    } finally {
      await storage.database.drop();
    }
  });
});

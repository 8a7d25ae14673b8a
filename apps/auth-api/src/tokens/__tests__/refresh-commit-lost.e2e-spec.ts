import { setTimeout as sleep } from 'node:timers/promises';
import { sha256Hex } from '@cxauth/domain';
import { createTestApp, createTestStorage, TcpProxy, TestApp, TestDatabase } from '@cxauth/testing';
import { authApiConfigSchema } from '../../auth-api.config';
import { authApiService } from '../../auth-api.service';
import { createClient } from '../../testing/auth-api-test-app';

const GRACE_SECONDS = 1;

/**
 * A refresh whose commit reaches PostgreSQL while the answer is lost (the connection drops right after
 * `COMMIT` is sent, through a TCP relay): the client never saw the successor, so its retry after the
 * outage — later than the grace window — gets that successor instead of revoking the family; once only.
 */
describe('refresh_token grant: a rotation committed with its answer lost', () => {
  let postgresRelay: TcpProxy;
  let database: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    const storage = await createTestStorage();
    database = storage.database;
    const databaseUrl = new URL(storage.env.DATABASE_URL!);
    postgresRelay = new TcpProxy(databaseUrl.hostname, Number(databaseUrl.port || 5432));
    await postgresRelay.start();
    databaseUrl.host = `127.0.0.1:${postgresRelay.port}`;
    app = await createTestApp(authApiConfigSchema, authApiService, {
      ...storage.env,
      DATABASE_URL: databaseUrl.toString(),
      REFRESH_TOKEN_REUSE_GRACE_SECONDS: String(GRACE_SECONDS),
    });
    await createClient(app, {
      client_id: 'app',
      client_secret: 'app-secret',
      authorizedGrantTypes: ['password', 'refresh_token'],
      refreshTokenExpirationTimeout: 3600,
    });
  });
  afterAll(async () => {
    await app.close();
    await postgresRelay.stop();
    await database.drop();
  });

  const token = (form: Record<string, string>) =>
    app.http().post('/auth/v3/oauth/token').auth('app', 'app-secret').type('form').send(form);
  const refresh = (refreshToken: string) => token({ grant_type: 'refresh_token', refresh_token: refreshToken });
  const userinfo = (accessToken: string) =>
    app.http().get('/auth/v3/userinfo').set('Authorization', `Bearer ${accessToken}`);
  const row = async (refreshToken: string) =>
    (
      await database.query<{ rotated: boolean; revoked: boolean; family_id: string }>(
        'SELECT rotated_at IS NOT NULL AS rotated, revoked_at IS NOT NULL AS revoked, family_id FROM refresh_token WHERE token_hash = $1',
        [sha256Hex(refreshToken)],
      )
    )[0];
  const revokedInFamily = async (familyId: string) =>
    Number(
      (
        await database.query<{ count: string }>(
          'SELECT count(*) FROM refresh_token WHERE revoked_at IS NOT NULL AND family_id = $1',
          [familyId],
        )
      )[0]!.count,
    );

  it('answers the late retry with the successor, and a second late presentation revokes the family', async () => {
    const login = await token({ grant_type: 'password', username: 'ops', password: 'ops' });
    expect(login.status).toBe(200);
    const presented = login.body.refresh_token as string;
    // The sign-in's own audit write (a transaction of its own) is done before the fault is armed.
    await sleep(300);

    const dropped = postgresRelay.dropAnswerAfter('COMMIT\u0000');
    const lost = await refresh(presented);
    await dropped;
    expect(lost.status).toBe(503);
    expect(lost.body.error).toBe('temporarily_unavailable');
    // The commit reached PostgreSQL: the token is spent and its successor stored.
    const spent = await row(presented);
    expect(spent).toMatchObject({ rotated: true, revoked: false });

    await sleep(GRACE_SECONDS * 1000 + 500);
    const retry = await refresh(presented);
    expect(retry.status).toBe(200);
    expect((await userinfo(retry.body.access_token)).status).toBe(200);
    expect(await revokedInFamily(spent!.family_id)).toBe(0);
    const next = await refresh(retry.body.refresh_token);
    expect(next.status).toBe(200);

    // The note is used once: the same spent token again is a replay, and the family goes.
    const replay = await refresh(presented);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
    expect(await revokedInFamily(spent!.family_id)).toBeGreaterThan(0);
    expect((await userinfo(next.body.access_token)).status).toBe(401);
  });

  it('without a lost answer, a retry after the grace window still revokes the family', async () => {
    const login = await token({ grant_type: 'password', username: 'ops', password: 'ops' });
    const first = await refresh(login.body.refresh_token);
    expect(first.status).toBe(200);
    await sleep(GRACE_SECONDS * 1000 + 500);
    const late = await refresh(login.body.refresh_token);
    expect(late.status).toBe(400);
    expect((await userinfo(first.body.access_token)).status).toBe(401);
  });
});

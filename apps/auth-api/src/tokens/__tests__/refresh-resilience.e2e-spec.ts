import { sha256Hex } from '@cxauth/domain';
import { TcpProxy, TEST_REDIS_URL } from '@cxauth/testing';
import { AuthApiTestContext, createClient, startAuthApi } from '../../testing/auth-api-test-app';

const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const REFRESH_TYPE = 'urn:ietf:params:oauth:token-type:refresh_token';

/**
 * Refresh rotation across retries and Redis blips (issue 18): Redis is reached through a TCP relay the
 * test cuts at each step of a refresh; nobody may be signed out by it or by a double submission.
 */
describe('refresh_token grant: retries, double submissions and Redis blips', () => {
  let ctx: AuthApiTestContext;
  const redisRelay = new TcpProxy(new URL(TEST_REDIS_URL).hostname, Number(new URL(TEST_REDIS_URL).port || 6379));

  beforeAll(async () => {
    await redisRelay.start();
    ctx = await startAuthApi({
      REDIS_URL: `redis://127.0.0.1:${redisRelay.port}`,
      REFRESH_TOKEN_REUSE_GRACE_SECONDS: '30',
    });
    await createClient(ctx.app, {
      client_id: 'app',
      client_secret: 'app-secret',
      authorizedGrantTypes: ['password', 'refresh_token', 'client_credentials', EXCHANGE],
      refreshTokenExpirationTimeout: 3600,
    });
  });
  afterAll(async () => {
    await ctx.close();
    await redisRelay.stop();
  });

  const token = (form: Record<string, string>) =>
    ctx.app.http().post('/auth/v3/oauth/token').auth('app', 'app-secret').type('form').send(form);
  const login = async () => {
    const response = await token({ grant_type: 'password', username: 'ops', password: 'ops' });
    expect(response.status).toBe(200);
    return response.body as { access_token: string; refresh_token: string };
  };
  const refresh = (refreshToken: string) => token({ grant_type: 'refresh_token', refresh_token: refreshToken });
  const userinfo = (accessToken: string) =>
    ctx.app.http().get('/auth/v3/userinfo').set('Authorization', `Bearer ${accessToken}`);
  const revokedInFamily = async (refreshToken: string) => {
    const rows = await ctx.database.query<{ count: string }>(
      'SELECT count(*) FROM refresh_token WHERE revoked_at IS NOT NULL AND family_id = (SELECT family_id FROM refresh_token WHERE token_hash = $1)',
      [sha256Hex(refreshToken)],
    );
    return Number(rows[0]!.count);
  };
  /** Restores the relay and waits until the service's Redis connection is back (ioredis reconnects). */
  const restoreRedis = async () => {
    await redisRelay.start();
    for (let attempt = 0; attempt < 100; attempt++) {
      if ((await token({ grant_type: 'client_credentials' })).status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the service did not reconnect to Redis');
  };

  it('answers a retry within the grace window with the same pair, and the successor keeps working', async () => {
    const session = await login();
    const first = await refresh(session.refresh_token);
    expect(first.status).toBe(200);
    const retry = await refresh(session.refresh_token);
    expect(retry.status).toBe(200);
    expect(retry.body.refresh_token).toBe(first.body.refresh_token);
    expect(retry.body.access_token).toBe(first.body.access_token);
    expect(retry.body.expires_in).toBeLessThanOrEqual(first.body.expires_in);
    expect(retry.headers['cache-control']).toBe('no-store');
    expect((await userinfo(retry.body.access_token)).status).toBe(200);
    expect(await revokedInFamily(session.refresh_token)).toBe(0);

    const next = await refresh(first.body.refresh_token);
    expect(next.status).toBe(200);
    // Once the successor is spent, the old token is a replay: the family goes.
    const late = await refresh(session.refresh_token);
    expect(late.status).toBe(400);
    expect(late.body.error).toBe('invalid_grant');
    expect((await userinfo(next.body.access_token)).status).toBe(401);
  });

  it('keeps the successor sealed at rest (never the plaintext tokens)', async () => {
    const session = await login();
    const first = await refresh(session.refresh_token);
    const rows = await ctx.database.query<{ successor: string }>(
      'SELECT successor FROM refresh_token WHERE token_hash = $1',
      [sha256Hex(session.refresh_token)],
    );
    expect(rows[0]!.successor).toMatch(/^v2:[0-9a-f]{8}:/);
    expect(rows[0]!.successor).not.toContain(first.body.refresh_token);
    expect(rows[0]!.successor).not.toContain(first.body.access_token);
  });

  it('gives both of two concurrent submissions the same working pair (5 of 5 sessions kept)', async () => {
    const sessions = await Promise.all([1, 2, 3, 4, 5].map(() => login()));
    const pairs = await Promise.all(
      sessions.map((session) => Promise.all([refresh(session.refresh_token), refresh(session.refresh_token)])),
    );
    for (const [a, b] of pairs) {
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(a.body.refresh_token).toBe(b.body.refresh_token);
      expect(a.body.access_token).toBe(b.body.access_token);
    }
    const kept = await Promise.all(pairs.map(([a]) => refresh(a.body.refresh_token)));
    expect(kept.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
  });

  it('Redis cut before the access token is stored: a fast 503, and the presented token is given back', async () => {
    const session = await login();
    await redisRelay.cut();
    try {
      const started = Date.now();
      const failed = await refresh(session.refresh_token);
      const elapsed = Date.now() - started;
      expect(failed.status).toBe(503);
      expect(failed.body.error).toBe('temporarily_unavailable');
      expect(failed.headers['cache-control']).toBe('no-store');
      // The promise is 100 ms (measured in the fault suite); here only "no stall" on a loaded machine.
      expect(elapsed).toBeLessThan(1_500);
      const rows = await ctx.database.query<{ rotated_at: Date | null }>(
        'SELECT rotated_at FROM refresh_token WHERE token_hash = $1',
        [sha256Hex(session.refresh_token)],
      );
      expect(rows[0]!.rotated_at).toBeNull();
    } finally {
      await restoreRedis();
    }
    const retry = await refresh(session.refresh_token);
    expect(retry.status).toBe(200);
    expect((await userinfo(retry.body.access_token)).status).toBe(200);
    expect((await refresh(retry.body.refresh_token)).status).toBe(200);
  });

  it('token exchange of a refresh token with Redis cut: 503, and the presented token is given back', async () => {
    const session = await login();
    await redisRelay.cut();
    try {
      const failed = await token({
        grant_type: EXCHANGE,
        subject_token: session.refresh_token,
        subject_token_type: REFRESH_TYPE,
      });
      expect(failed.status).toBe(503);
      expect(failed.body.error).toBe('temporarily_unavailable');
    } finally {
      await restoreRedis();
    }
    expect(await revokedInFamily(session.refresh_token)).toBe(0);
    const rows = await ctx.database.query<{ count: string }>(
      'SELECT count(*) FROM refresh_token WHERE family_id = (SELECT family_id FROM refresh_token WHERE token_hash = $1)',
      [sha256Hex(session.refresh_token)],
    );
    // The successor the exchange minted is gone with the undo.
    expect(Number(rows[0]!.count)).toBe(1);
    const retry = await refresh(session.refresh_token);
    expect(retry.status).toBe(200);
  });

  it('token exchange of a refresh token refused for its scope: the token is given back', async () => {
    await createClient(ctx.app, {
      client_id: 'narrow',
      client_secret: 'narrow-secret',
      scope: ['openid'],
      authorizedGrantTypes: ['password', 'refresh_token', EXCHANGE],
      refreshTokenExpirationTimeout: 3600,
    });
    const narrow = (form: Record<string, string>) =>
      ctx.app.http().post('/auth/v3/oauth/token').auth('narrow', 'narrow-secret').type('form').send(form);
    const session = (await narrow({ grant_type: 'password', username: 'ops', password: 'ops' })).body as {
      refresh_token: string;
    };
    const refused = await narrow({
      grant_type: EXCHANGE,
      subject_token: session.refresh_token,
      subject_token_type: REFRESH_TYPE,
      scope: 'write',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_scope');
    expect(await revokedInFamily(session.refresh_token)).toBe(0);
    expect((await narrow({ grant_type: 'refresh_token', refresh_token: session.refresh_token })).status).toBe(200);
  });

  it('Redis cut after the rotation committed (answer lost): the retry during the outage is 503, after it the same pair', async () => {
    const session = await login();
    const lost = await refresh(session.refresh_token);
    expect(lost.status).toBe(200);
    await redisRelay.cut();
    try {
      const during = await refresh(session.refresh_token);
      expect(during.status).toBe(503);
      expect(during.body.error).toBe('temporarily_unavailable');
    } finally {
      await restoreRedis();
    }
    const retry = await refresh(session.refresh_token);
    expect(retry.status).toBe(200);
    expect(retry.body.refresh_token).toBe(lost.body.refresh_token);
    expect((await userinfo(retry.body.access_token)).status).toBe(200);
    expect((await refresh(retry.body.refresh_token)).status).toBe(200);
    expect(await revokedInFamily(session.refresh_token)).toBe(0);
  });

  it('Redis cut while a replay is detected: the family is revoked in PostgreSQL, and its access tokens once Redis is back', async () => {
    const session = await login();
    const first = await refresh(session.refresh_token);
    expect((await userinfo(first.body.access_token)).status).toBe(200);
    await ctx.database.query(
      "UPDATE refresh_token SET rotated_at = now() - interval '31 seconds' WHERE token_hash = $1",
      [sha256Hex(session.refresh_token)],
    );
    await redisRelay.cut();
    try {
      const replay = await refresh(session.refresh_token);
      expect(replay.status).toBe(503);
    } finally {
      await restoreRedis();
    }
    expect(await revokedInFamily(session.refresh_token)).toBe(2);
    // The replica applies the revocation to Redis when its connection is ready again.
    let statuses: number[] = [];
    for (let attempt = 0; attempt < 50; attempt++) {
      statuses = [(await userinfo(session.access_token)).status, (await userinfo(first.body.access_token)).status];
      if (statuses.every((status) => status === 401)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(statuses).toEqual([401, 401]);
    expect((await refresh(first.body.refresh_token)).status).toBe(400);
  });
});

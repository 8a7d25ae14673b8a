import { AuthApiTestContext, createClient, startAuthApi } from '../../testing/auth-api-test-app';
import { sha256Hex } from '@cxauth/domain';

describe('refresh_token grant: rotation and reuse detection', () => {
  let ctx: AuthApiTestContext;

  beforeAll(async () => {
    ctx = await startAuthApi();
    await createClient(ctx.app, {
      client_id: 'app',
      client_secret: 'app-secret',
      authorizedGrantTypes: ['password', 'refresh_token'],
      refreshTokenExpirationTimeout: 3600,
    });
    await createClient(ctx.app, {
      client_id: 'other',
      client_secret: 'other-secret',
      authorizedGrantTypes: ['refresh_token'],
    });
    await createClient(ctx.app, {
      client_id: 'norefresh',
      client_secret: 'norefresh-secret',
      authorizedGrantTypes: ['password'],
    });
  });
  afterAll(async () => {
    await ctx.close();
  });

  const token = (form: Record<string, string>, client = ['app', 'app-secret']) =>
    ctx.app.http().post('/auth/v3/oauth/token').auth(client[0]!, client[1]!).type('form').send(form);
  const login = () => token({ grant_type: 'password', username: 'ops', password: 'ops' });
  const accessKey = (accessToken: string) => `${ctx.prefix}at:${sha256Hex(accessToken)}`;

  it('rotates: a new refresh token each time, the old one marked rotated in the same family', async () => {
    const first = await login();
    expect(first.status).toBe(200);
    const second = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).toBeDefined();
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
    expect(second.body.access_token).not.toBe(first.body.access_token);
    expect(second.headers['cache-control']).toBe('no-store');
    const rows = await ctx.database.query<{
      token_hash: string;
      family_id: string;
      rotated_at: Date | null;
      revoked_at: Date | null;
    }>('SELECT token_hash, family_id, rotated_at, revoked_at FROM refresh_token WHERE token_hash = ANY($1)', [
      [sha256Hex(first.body.refresh_token), sha256Hex(second.body.refresh_token)],
    ]);
    expect(rows).toHaveLength(2);
    const old = rows.find((row) => row.token_hash === sha256Hex(first.body.refresh_token))!;
    const fresh = rows.find((row) => row.token_hash === sha256Hex(second.body.refresh_token))!;
    expect(old.family_id).toBe(fresh.family_id);
    expect(old.rotated_at).not.toBeNull();
    expect(fresh.rotated_at).toBeNull();
    expect(fresh.revoked_at).toBeNull();
  });

  it('revokes the whole family, access tokens included, when a rotated token is presented after the grace window', async () => {
    const first = await login();
    const second = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
    expect(await ctx.redis.exists(accessKey(second.body.access_token))).toBe(1);
    expect(await ctx.redis.exists(accessKey(first.body.access_token))).toBe(1);
    // Past REFRESH_TOKEN_REUSE_GRACE_SECONDS (5 s by default).
    await ctx.database.query(
      "UPDATE refresh_token SET rotated_at = now() - interval '6 seconds' WHERE token_hash = $1",
      [sha256Hex(first.body.refresh_token)],
    );

    const replay = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');

    const rows = await ctx.database.query<{ revoked_at: Date | null }>(
      'SELECT revoked_at FROM refresh_token WHERE family_id = (SELECT family_id FROM refresh_token WHERE token_hash = $1)',
      [sha256Hex(first.body.refresh_token)],
    );
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.revoked_at !== null)).toBe(true);
    expect(await ctx.redis.exists(accessKey(first.body.access_token))).toBe(0);
    expect(await ctx.redis.exists(accessKey(second.body.access_token))).toBe(0);
    const userinfo = await ctx.app
      .http()
      .get('/auth/v3/userinfo')
      .set('Authorization', `Bearer ${second.body.access_token}`);
    expect(userinfo.status).toBe(401);

    // The legitimate holder's newest refresh token is dead too.
    const newest = await token({ grant_type: 'refresh_token', refresh_token: second.body.refresh_token });
    expect(newest.status).toBe(400);
    expect(newest.body.error).toBe('invalid_grant');
  });

  it('refuses a refresh token of another client, an unknown one, and an expired one', async () => {
    const first = await login();
    const foreign = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token }, [
      'other',
      'other-secret',
    ]);
    expect(foreign.status).toBe(400);
    expect(foreign.body.error).toBe('invalid_grant');
    // Still usable by its own client (a foreign presentation does not burn it).
    expect((await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token })).status).toBe(200);

    const unknown = await token({ grant_type: 'refresh_token', refresh_token: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(400);

    const expiring = await login();
    await ctx.database.query(
      "UPDATE refresh_token SET expires_at = now() - interval '1 second' WHERE token_hash = $1",
      [sha256Hex(expiring.body.refresh_token)],
    );
    const expired = await token({ grant_type: 'refresh_token', refresh_token: expiring.body.refresh_token });
    expect(expired.status).toBe(400);
    expect(expired.body.error_description).toBe('Invalid refresh token');
  });

  it('may narrow the scope but never widen it', async () => {
    await createClient(ctx.app, {
      client_id: 'scoped',
      client_secret: 'scoped-secret',
      scope: ['a', 'b'],
      authorizedGrantTypes: ['password', 'refresh_token'],
    });
    const first = await token({ grant_type: 'password', username: 'ops', password: 'ops', scope: 'a b' }, [
      'scoped',
      'scoped-secret',
    ]);
    expect(first.body.scope).toBe('a b');
    const narrowed = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token, scope: 'a' }, [
      'scoped',
      'scoped-secret',
    ]);
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.scope).toBe('a');
    const wider = await token(
      { grant_type: 'refresh_token', refresh_token: narrowed.body.refresh_token, scope: 'a c' },
      ['scoped', 'scoped-secret'],
    );
    expect(wider.status).toBe(400);
    expect(wider.body.error).toBe('invalid_scope');
  });

  it('gives no refresh token to a client without the refresh_token grant', async () => {
    const response = await token({ grant_type: 'password', username: 'ops', password: 'ops' }, [
      'norefresh',
      'norefresh-secret',
    ]);
    expect(response.status).toBe(200);
    expect(response.body.refresh_token).toBeUndefined();
  });
});

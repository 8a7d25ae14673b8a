import { randomBytes } from 'node:crypto';
import { AuthApiTestContext, createClient, startAuthApi } from '../../testing/auth-api-test-app';
import { sha256Hex } from '@cxauth/domain';

describe('sign-out', () => {
  let ctx: AuthApiTestContext;

  beforeAll(async () => {
    ctx = await startAuthApi();
    await createClient(ctx.app, {
      client_id: 'app',
      client_secret: 'app-secret',
      authorizedGrantTypes: ['password', 'refresh_token', 'authorization_code'],
      redirectURIs: ['https://app.example.com/signed-out'],
    });
    await createClient(ctx.app, {
      client_id: 'other',
      client_secret: 'other-secret',
      authorizedGrantTypes: ['password', 'refresh_token'],
    });
  });
  afterAll(async () => {
    await ctx.close();
  });

  const login = async (client: [string, string] = ['app', 'app-secret'], scope?: string) =>
    (
      await ctx.app
        .http()
        .post('/auth/v3/oauth/token')
        .auth(client[0], client[1])
        .type('form')
        .send({ grant_type: 'password', username: 'ops', password: 'ops', ...(scope ? { scope } : {}) })
    ).body as { access_token: string; refresh_token: string; id_token: string };
  const live = async (accessToken: string) =>
    (await ctx.redis.exists(`${ctx.prefix}at:${sha256Hex(accessToken)}`)) === 1;
  const refreshRevoked = async (refreshToken: string) =>
    (
      await ctx.database.query<{ revoked_at: Date | null }>(
        'SELECT revoked_at FROM refresh_token WHERE token_hash = $1',
        [sha256Hex(refreshToken)],
      )
    )[0]!.revoked_at !== null;

  it('POST revokes the current token and its refresh token only', async () => {
    const a = await login();
    const b = await login();
    const response = await ctx.app.http().post('/auth/v3/sign-out').set('Authorization', `Bearer ${a.access_token}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: { code: 0 } });
    expect(await live(a.access_token)).toBe(false);
    expect(await refreshRevoked(a.refresh_token)).toBe(true);
    expect(await live(b.access_token)).toBe(true);
    expect(await refreshRevoked(b.refresh_token)).toBe(false);
  });

  it('global=true revokes every access and refresh token of the user, across clients', async () => {
    const a = await login();
    const b = await login(['other', 'other-secret']);
    const response = await ctx.app
      .http()
      .post('/auth/v3/sign-out?global=true')
      .set('Authorization', `Bearer ${a.access_token}`);
    expect(response.status).toBe(200);
    expect(await live(a.access_token)).toBe(false);
    expect(await live(b.access_token)).toBe(false);
    expect(await refreshRevoked(a.refresh_token)).toBe(true);
    expect(await refreshRevoked(b.refresh_token)).toBe(true);
    const userinfo = await ctx.app.http().get('/auth/v3/userinfo').set('Authorization', `Bearer ${b.access_token}`);
    expect(userinfo.status).toBe(401);
  });

  it("GET redirects only to a redirect URI registered on the token's client", async () => {
    const a = await login();
    const open = await ctx.app
      .http()
      .get('/auth/v3/sign-out?redirectUri=https%3A%2F%2Fevil.example.com%2F')
      .set('Authorization', `Bearer ${a.access_token}`)
      .redirects(0);
    expect(open.status).toBe(400);
    expect(open.headers.location).toBeUndefined();
    expect(open.body.status.code).toBe(2);
    expect(await live(a.access_token)).toBe(true);

    const good = await ctx.app
      .http()
      .get('/auth/v3/sign-out?redirectUri=https%3A%2F%2Fapp.example.com%2Fsigned-out')
      .set('Authorization', `Bearer ${a.access_token}`)
      .redirects(0);
    expect(good.status).toBe(302);
    expect(good.headers.location).toBe('https://app.example.com/signed-out');
    expect(await live(a.access_token)).toBe(false);
  });

  it('answers 401 without a valid token and 400 for a bad global value', async () => {
    expect((await ctx.app.http().post('/auth/v3/sign-out')).status).toBe(401);
    const a = await login();
    const bad = await ctx.app
      .http()
      .post('/auth/v3/sign-out?global=maybe')
      .set('Authorization', `Bearer ${a.access_token}`);
    expect(bad.status).toBe(400);
  });

  /** A browser session as the sign-in flow stores it (Redis, keyed by the cookie's hash). */
  async function browserSession(clients?: string[]): Promise<string> {
    const value = randomBytes(32).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const user = {
      id: 'ops',
      username: 'ops',
      contactCenterId: null,
      environmentId: null,
      authorities: [],
      properties: {},
    };
    const id = sha256Hex(value);
    await ctx.redis.set(
      `${ctx.prefix}session:${id}`,
      JSON.stringify({ id, user, authTime: now, absoluteExpiresAt: now + 3600, lastSeenAt: now, clients }),
      'EX',
      3600,
    );
    await ctx.redis.sadd(`${ctx.prefix}session-user:${sha256Hex('ops')}`, id);
    return value;
  }

  it('a browser with only its session cookie is signed out and sent to a registered redirect or the signed-out page', async () => {
    const cookie = await browserSession(['app']);
    const response = await ctx.app
      .http()
      .get('/auth/v3/sign-out?client_id=app&redirectUri=https%3A%2F%2Fapp.example.com%2Fsigned-out')
      .set('Cookie', `cxauth_session=${cookie}`)
      .redirects(0);
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('https://app.example.com/signed-out');
    expect(await ctx.redis.exists(`${ctx.prefix}session:${sha256Hex(cookie)}`)).toBe(0);

    const other = await browserSession(['app']);
    const evil = await ctx.app
      .http()
      .get('/auth/v3/sign-out?client_id=app&redirectUri=https%3A%2F%2Fevil.example.com%2F')
      .set('Cookie', `cxauth_session=${other}`)
      .redirects(0);
    expect(evil.status).toBe(302);
    expect(evil.headers.location).toBe('/ui/auth/signed-out.html');
  });

  it("a Bearer global sign-out also ends the user's browser sessions", async () => {
    const cookie = await browserSession();
    const a = await login();
    await ctx.app
      .http()
      .post('/auth/v3/sign-out?global=true')
      .set('Authorization', `Bearer ${a.access_token}`)
      .expect(200);
    expect(await ctx.redis.exists(`${ctx.prefix}session:${sha256Hex(cookie)}`)).toBe(0);
  });

  it("a same-origin cookie-only global sign-out revokes the user's tokens too", async () => {
    const a = await login();
    const cookie = await browserSession();
    const response = await ctx.app
      .http()
      .get('/auth/v3/sign-out?global=true')
      .set('Cookie', `cxauth_session=${cookie}`)
      .set('Sec-Fetch-Site', 'same-origin')
      .redirects(0);
    expect(response.status).toBe(302);
    expect(await live(a.access_token)).toBe(false);
    expect(await refreshRevoked(a.refresh_token)).toBe(true);
  });

  it.each([
    ['a cross-site link', { 'Sec-Fetch-Site': 'cross-site' }],
    ['a browser without Fetch Metadata', {}],
  ])('global=true from %s ends only this browser session', async (_label, headers) => {
    const a = await login();
    const cookie = await browserSession();
    const bystander = await browserSession();
    const response = await ctx.app
      .http()
      .get('/auth/v3/sign-out?global=true')
      .set('Cookie', `cxauth_session=${cookie}`)
      .set(headers)
      .redirects(0);
    expect(response.status).toBe(302);
    expect(await ctx.redis.exists(`${ctx.prefix}session:${sha256Hex(cookie)}`)).toBe(0);
    expect(await ctx.redis.exists(`${ctx.prefix}session:${sha256Hex(bystander)}`)).toBe(1);
    expect(await live(a.access_token)).toBe(true);
    expect(await refreshRevoked(a.refresh_token)).toBe(false);
  });

  it("never redirects to a client the session did not sign in to, even to that client's registered URI", async () => {
    const cookie = await browserSession(['other']);
    const response = await ctx.app
      .http()
      .get('/auth/v3/sign-out?client_id=app&redirectUri=https%3A%2F%2Fapp.example.com%2Fsigned-out')
      .set('Cookie', `cxauth_session=${cookie}`)
      .redirects(0);
    expect(response.headers.location).toBe('/ui/auth/signed-out.html');
  });

  describe('OpenID Connect RP-initiated logout', () => {
    /**
     * An id token issued after the user's last sign-out everywhere (earlier tests made some): the cut-off
     * counts in whole seconds, so one issued in the same second would no longer count as a hint.
     */
    const idToken = async () => {
      const cutoff = await ctx.redis.get(`${ctx.prefix}at-user-revoked:${sha256Hex('ops')}`);
      const wait = cutoff === null ? 0 : (Number(cutoff) + 1) * 1000 - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      return login(['app', 'app-secret'], 'openid');
    };

    it('honours post_logout_redirect_uri with id_token_hint and returns state', async () => {
      const cookie = await browserSession();
      const tokens = await idToken();
      const query = new URLSearchParams({
        id_token_hint: tokens.id_token,
        post_logout_redirect_uri: 'https://app.example.com/signed-out',
        state: 'st-1',
      });
      const response = await ctx.app
        .http()
        .get(`/auth/v3/sign-out?${query}`)
        .set('Cookie', `cxauth_session=${cookie}`)
        .redirects(0);
      expect(response.status).toBe(302);
      expect(response.headers.location).toBe('https://app.example.com/signed-out?state=st-1');
      expect(await ctx.redis.exists(`${ctx.prefix}session:${sha256Hex(cookie)}`)).toBe(0);
      // Without a session cookie too (the session may have expired).
      const cookieless = await ctx.app.http().get(`/auth/v3/sign-out?${query}`).redirects(0);
      expect(cookieless.headers.location).toBe('https://app.example.com/signed-out?state=st-1');
    });

    it('an id_token_hint for the session user allows a global sign-out from another site', async () => {
      const cookie = await browserSession();
      const tokens = await idToken();
      await ctx.app
        .http()
        .get(`/auth/v3/sign-out?global=true&id_token_hint=${tokens.id_token}`)
        .set('Cookie', `cxauth_session=${cookie}`)
        .set('Sec-Fetch-Site', 'cross-site')
        .redirects(0)
        .expect(302);
      expect(await live(tokens.access_token)).toBe(false);
    });

    it('refuses a post_logout_redirect_uri not registered for the hinted client, and a forged hint', async () => {
      const tokens = await idToken();
      const unregistered = await ctx.app
        .http()
        .get(
          `/auth/v3/sign-out?id_token_hint=${tokens.id_token}&post_logout_redirect_uri=${encodeURIComponent('https://evil.example.com/')}`,
        )
        .redirects(0);
      expect(unregistered.headers.location).toBe('/ui/auth/signed-out.html');
      const forged = await ctx.app.http().get('/auth/v3/sign-out?id_token_hint=e30.e30.x').redirects(0);
      expect(forged.status).toBe(400);
      expect(forged.body.status.code).toBe(2);
    });
  });
});

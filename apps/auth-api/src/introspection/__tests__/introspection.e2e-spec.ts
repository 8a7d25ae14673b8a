import { AuthApiTestContext, createClient, startAuthApi } from '../../testing/auth-api-test-app';
import { sha256Hex } from '@cxauth/domain';

describe('introspection (RFC 7662) and revocation (RFC 7009)', () => {
  let ctx: AuthApiTestContext;

  beforeAll(async () => {
    ctx = await startAuthApi();
    await createClient(ctx.app, {
      client_id: 'rs',
      client_secret: 'rs-secret',
      internalClient: true,
      authorizedGrantTypes: ['client_credentials'],
    });
    await createClient(ctx.app, {
      client_id: 'app',
      client_secret: 'app-secret',
      authorizedGrantTypes: ['password', 'refresh_token', 'client_credentials'],
    });
    await createClient(ctx.app, {
      client_id: 'other',
      client_secret: 'other-secret',
      authorizedGrantTypes: ['client_credentials'],
    });
  });
  afterAll(async () => {
    await ctx.close();
  });

  const login = async () =>
    (
      await ctx.app
        .http()
        .post('/auth/v3/oauth/token')
        .auth('app', 'app-secret')
        .type('form')
        .send({ grant_type: 'password', username: 'ops', password: 'ops' })
    ).body as { access_token: string; refresh_token: string };
  const introspect = (token: string, client: [string, string] = ['rs', 'rs-secret'], hint?: string) =>
    ctx.app
      .http()
      .post('/auth/v3/oauth/introspect')
      .auth(client[0], client[1])
      .type('form')
      .send({ token, ...(hint ? { token_type_hint: hint } : {}) });
  const revoke = (token: string, client: [string, string] = ['app', 'app-secret'], hint?: string) =>
    ctx.app
      .http()
      .post('/auth/v3/oauth/revoke')
      .auth(client[0], client[1])
      .type('form')
      .send({ token, ...(hint ? { token_type_hint: hint } : {}) });

  it('describes an active access token', async () => {
    const tokens = await login();
    const response = await introspect(tokens.access_token);
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toMatchObject({
      active: true,
      scope: '*',
      client_id: 'app',
      username: 'ops',
      sub: 'ops',
      token_type: 'Bearer',
      iss: 'http://localhost:8080/auth/v3',
    });
    expect(response.body.exp - response.body.iat).toBe(43200);
  });

  it('describes an active refresh token (with or without hint)', async () => {
    const tokens = await login();
    const response = await introspect(tokens.refresh_token, ['rs', 'rs-secret'], 'refresh_token');
    expect(response.body).toMatchObject({ active: true, client_id: 'app', token_type: 'refresh_token', sub: 'ops' });
    expect((await introspect(tokens.refresh_token)).body.active).toBe(true);
  });

  it('answers active:false for unknown tokens and for tokens of other clients (non-internal caller)', async () => {
    expect((await introspect('nonsense')).body).toEqual({ active: false });
    const tokens = await login();
    expect((await introspect(tokens.access_token, ['other', 'other-secret'])).body).toEqual({ active: false });
    expect((await introspect(tokens.access_token, ['app', 'app-secret'])).body.active).toBe(true);
  });

  it('requires client authentication and a token parameter', async () => {
    const unauthenticated = await ctx.app.http().post('/auth/v3/oauth/introspect').type('form').send({ token: 'x' });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.body.error).toBe('invalid_client');
    expect(unauthenticated.headers['www-authenticate']).toBeDefined();
    const missing = await ctx.app
      .http()
      .post('/auth/v3/oauth/introspect')
      .auth('rs', 'rs-secret')
      .type('form')
      .send({});
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error: 'invalid_request', error_description: 'token is required' });
  });

  it('revokes an access token (Redis key gone, introspection inactive, userinfo 401)', async () => {
    const tokens = await login();
    const response = await revoke(tokens.access_token);
    expect(response.status).toBe(200);
    expect(await ctx.redis.exists(`${ctx.prefix}at:${sha256Hex(tokens.access_token)}`)).toBe(0);
    expect((await introspect(tokens.access_token)).body).toEqual({ active: false });
    expect(
      (await ctx.app.http().get('/auth/v3/userinfo').set('Authorization', `Bearer ${tokens.access_token}`)).status,
    ).toBe(401);
  });

  it('revokes a refresh token and its family', async () => {
    const tokens = await login();
    expect((await revoke(tokens.refresh_token, ['app', 'app-secret'], 'refresh_token')).status).toBe(200);
    const [row] = await ctx.database.query<{ revoked_at: Date | null }>(
      'SELECT revoked_at FROM refresh_token WHERE token_hash = $1',
      [sha256Hex(tokens.refresh_token)],
    );
    expect(row!.revoked_at).not.toBeNull();
    expect(await ctx.redis.exists(`${ctx.prefix}at:${sha256Hex(tokens.access_token)}`)).toBe(0);
    const refresh = await ctx.app
      .http()
      .post('/auth/v3/oauth/token')
      .auth('app', 'app-secret')
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(refresh.status).toBe(400);
  });

  it("answers 200 for unknown tokens but never revokes another client's token", async () => {
    expect((await revoke('unknown-token')).status).toBe(200);
    const tokens = await login();
    expect((await revoke(tokens.access_token, ['other', 'other-secret'])).status).toBe(200);
    expect((await revoke(tokens.refresh_token, ['other', 'other-secret'])).status).toBe(200);
    expect(await ctx.redis.exists(`${ctx.prefix}at:${sha256Hex(tokens.access_token)}`)).toBe(1);
    expect((await introspect(tokens.refresh_token)).body.active).toBe(true);
  });
});

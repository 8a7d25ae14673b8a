import { createLocalJWKSet, jwtVerify } from 'jose';
import { AuthApiTestContext, createClient, startAuthApi } from '../../testing/auth-api-test-app';

describe('user info endpoints', () => {
  let ctx: AuthApiTestContext;
  let userToken: string;
  let clientToken: string;

  beforeAll(async () => {
    ctx = await startAuthApi();
    await createClient(ctx.app, {
      client_id: 'app',
      client_secret: 'app-secret',
      authorities: ['ROLE_INTERNAL_CLIENT'],
      authorizedGrantTypes: ['password', 'client_credentials'],
      accessTokenExpirationTimeout: 2,
    });
    const token = (form: Record<string, string>) =>
      ctx.app.http().post('/auth/v3/oauth/token').auth('app', 'app-secret').type('form').send(form);
    userToken = (await token({ grant_type: 'password', username: 'ops', password: 'ops' })).body.access_token;
    clientToken = (await token({ grant_type: 'client_credentials' })).body.access_token;
  });
  afterAll(async () => {
    await ctx.close();
  });

  const get = (path: string, token?: string) => {
    const request = ctx.app.http().get(path);
    return token ? request.set('Authorization', `Bearer ${token}`) : request;
  };

  it('GET /userinfo answers CloudUserDetails for a user token', async () => {
    const response = await get('/auth/v3/userinfo', userToken);
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body.username).toBe('ops');
    expect(Array.isArray(response.body.authorities)).toBe(true);
    expect(response.body.properties).toBeDefined();
  });

  it('GET /userinfo describes the client for a client_credentials token; lower-case "bearer" works', async () => {
    const response = await ctx.app.http().get('/auth/v3/userinfo').set('Authorization', `bearer ${clientToken}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ username: 'app', authorities: ['ROLE_INTERNAL_CLIENT'], properties: {} });
  });

  it('GET /openid/userinfo answers OpenIdUserInfo', async () => {
    const response = await get('/auth/v3/openid/userinfo', userToken);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ sub: 'ops', aud: 'app', user_name: 'ops' });
    expect(Array.isArray(response.body.authorities)).toBe(true);
  });

  it('GET /jwt-userinfo puts a JWT signed with our JWKS in X-GWS-User', async () => {
    const response = await get('/auth/v3/jwt-userinfo', userToken);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: { code: 0 } });
    const jwt = response.headers['x-gws-user'] as string;
    const jwks = (await ctx.app.http().get('/auth/v3/jwks')).body;
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(jwks), {
      issuer: 'http://localhost:8080/auth/v3',
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ sub: 'ops', username: 'ops', client_id: 'app' });
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(2);
  });

  it('answers 401 with a Bearer challenge for a missing, unknown or malformed token', async () => {
    const missing = await get('/auth/v3/userinfo');
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="cxauth"');
    expect(missing.body.status.code).toBe(3);
    const unknown = await get('/auth/v3/userinfo', '5f1ecb33-5c63-4606-8e30-824e494194c6');
    expect(unknown.status).toBe(401);
    expect(unknown.headers['www-authenticate']).toBe('Bearer realm="cxauth", error="invalid_token"');
    const malformed = await ctx.app.http().get('/auth/v3/openid/userinfo').set('Authorization', 'Bearer a b c');
    expect(malformed.status).toBe(401);
    const basic = await ctx.app.http().get('/auth/v3/jwt-userinfo').auth('app', 'app-secret');
    expect(basic.status).toBe(401);
  });

  it('answers 401 once the token has expired', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const response = await get('/auth/v3/userinfo', clientToken);
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
  });
});

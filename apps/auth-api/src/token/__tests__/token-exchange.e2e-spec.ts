import { AuthApiTestContext, createClient, startAuthApi } from '../../testing/auth-api-test-app';

const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS = 'urn:ietf:params:oauth:token-type:access_token';
const REFRESH = 'urn:ietf:params:oauth:token-type:refresh_token';
const ID = 'urn:ietf:params:oauth:token-type:id_token';

describe('token exchange (RFC 8693)', () => {
  let ctx: AuthApiTestContext;
  let userTokens: { access_token: string; refresh_token: string; id_token: string };

  beforeAll(async () => {
    ctx = await startAuthApi();
    await createClient(ctx.app, {
      client_id: 'frontend',
      client_secret: 'frontend-secret',
      authorizedGrantTypes: ['password', 'refresh_token'],
    });
    await createClient(ctx.app, {
      client_id: 'gateway',
      client_secret: 'gateway-secret',
      internalClient: true,
      authorities: ['ROLE_INTERNAL_CLIENT'],
      authorizedGrantTypes: ['client_credentials'],
      accessTokenExpirationTimeout: 300,
      // Exchanges the front end's access and id tokens (its own refresh tokens only: see token-exchange-policy).
      tokenExchange: { subjectClients: ['frontend'] },
    });
    await createClient(ctx.app, {
      client_id: 'plain',
      client_secret: 'plain-secret',
      authorizedGrantTypes: ['client_credentials'],
    });
    const login = await ctx.app
      .http()
      .post('/auth/v3/oauth/token')
      .auth('frontend', 'frontend-secret')
      .type('form')
      .send({ grant_type: 'password', username: 'ops', password: 'ops', scope: 'openid *' });
    userTokens = login.body;
  });
  afterAll(async () => {
    await ctx.close();
  });

  const exchange = (form: Record<string, string>, client: [string, string] = ['gateway', 'gateway-secret']) =>
    ctx.app
      .http()
      .post('/auth/v3/oauth/token')
      .auth(client[0], client[1])
      .type('form')
      .send({ grant_type: EXCHANGE, ...form });

  it('exchanges a user access token for a token of the calling client speaking for the same user', async () => {
    const response = await exchange({
      subject_token: userTokens.access_token,
      subject_token_type: ACCESS,
      audience: 'urn:svc:billing',
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ token_type: 'bearer', expires_in: 300, issued_token_type: ACCESS });
    expect(response.body.refresh_token).toBeUndefined();
    const introspection = await ctx.app
      .http()
      .post('/auth/v3/oauth/introspect')
      .auth('gateway', 'gateway-secret')
      .type('form')
      .send({ token: response.body.access_token });
    expect(introspection.body).toMatchObject({
      active: true,
      sub: 'ops',
      client_id: 'gateway',
      aud: ['urn:svc:billing'],
    });
    const userinfo = await ctx.app
      .http()
      .get('/auth/v3/userinfo')
      .set('Authorization', `Bearer ${response.body.access_token}`);
    expect(userinfo.body.username).toBe('ops');
  });

  it('accepts id tokens as subject and records an actor', async () => {
    const fromId = await exchange({ subject_token: userTokens.id_token, subject_token_type: ID });
    expect(fromId.status).toBe(200);
    const gatewayToken = await ctx.app
      .http()
      .post('/auth/v3/oauth/token')
      .auth('gateway', 'gateway-secret')
      .type('form')
      .send({ grant_type: 'client_credentials' });
    const delegated = await exchange({
      subject_token: userTokens.access_token,
      subject_token_type: ACCESS,
      actor_token: gatewayToken.body.access_token,
      actor_token_type: ACCESS,
    });
    expect(delegated.status).toBe(200);
    const introspection = await ctx.app
      .http()
      .post('/auth/v3/oauth/introspect')
      .auth('gateway', 'gateway-secret')
      .type('form')
      .send({ token: delegated.body.access_token });
    expect(introspection.body.act).toEqual({ sub: 'gateway', client_id: 'gateway' });
  });

  it('refuses invalid subject tokens, unsupported types and unauthorized clients', async () => {
    const bogus = await exchange({ subject_token: 'not-a-token', subject_token_type: ACCESS });
    expect(bogus.status).toBe(400);
    expect(bogus.body.error).toBe('invalid_grant');
    const type = await exchange({ subject_token: userTokens.access_token, subject_token_type: 'urn:x:saml' });
    expect(type.status).toBe(400);
    expect(type.body.error).toBe('invalid_request');
    const missing = await exchange({ subject_token: userTokens.access_token });
    expect(missing.status).toBe(400);
    expect(missing.body.error_description).toBe('subject_token_type is required');
    const requested = await exchange({
      subject_token: userTokens.access_token,
      subject_token_type: ACCESS,
      requested_token_type: REFRESH,
    });
    expect(requested.status).toBe(400);
    const resource = await exchange({
      subject_token: userTokens.access_token,
      subject_token_type: ACCESS,
      resource: 'not a uri',
    });
    expect(resource.status).toBe(400);
    expect(resource.body.error).toBe('invalid_target');
    const notAllowed = await exchange({ subject_token: userTokens.access_token, subject_token_type: ACCESS }, [
      'plain',
      'plain-secret',
    ]);
    expect(notAllowed.status).toBe(400);
    expect(notAllowed.body.error).toBe('unauthorized_client');
  });

  it('refuses a revoked subject token', async () => {
    const login = await ctx.app
      .http()
      .post('/auth/v3/oauth/token')
      .auth('frontend', 'frontend-secret')
      .type('form')
      .send({ grant_type: 'password', username: 'ops', password: 'ops' });
    await ctx.app
      .http()
      .post('/auth/v3/oauth/revoke')
      .auth('frontend', 'frontend-secret')
      .type('form')
      .send({ token: login.body.access_token })
      .expect(200);
    const response = await exchange({ subject_token: login.body.access_token, subject_token_type: ACCESS });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_grant');
  });
});

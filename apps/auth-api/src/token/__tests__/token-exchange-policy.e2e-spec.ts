import { OPS_BASIC, seedContactCenter, type SeededContactCenter } from '../../users/__tests__/users-test-fixture';
import { AuthApiTestContext, createClient, startAuthApi } from '../../testing/auth-api-test-app';

const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS = 'urn:ietf:params:oauth:token-type:access_token';
const REFRESH = 'urn:ietf:params:oauth:token-type:refresh_token';
const ID = 'urn:ietf:params:oauth:token-type:id_token';
const JWT = 'urn:ietf:params:oauth:token-type:jwt';

/** The privilege leaks of issue 14 ("Token exchange mints privilege"), each one refused. */
describe('token exchange policy (real PostgreSQL and Redis)', () => {
  let ctx: AuthApiTestContext;
  let cc: SeededContactCenter;
  const http = () => ctx.app.http();

  const token = (client: [string, string], form: Record<string, string>) =>
    http().post('/auth/v3/oauth/token').auth(client[0], client[1]).type('form').send(form);
  const exchange = (client: [string, string], form: Record<string, string>) =>
    token(client, { grant_type: EXCHANGE, ...form });
  const opsLogin = (client: [string, string], scope = 'openid *') =>
    token(client, { grant_type: 'password', username: 'ops', password: 'ops', scope });
  const introspect = (value: string) =>
    http().post('/auth/v3/oauth/introspect').auth('gateway', 'gateway-secret-1').type('form').send({ token: value });

  const FRONTEND: [string, string] = ['frontend', 'frontend-secret-1'];
  const READER: [string, string] = ['reader', 'reader-secret-1'];
  const TRUSTING: [string, string] = ['trusting', 'trusting-secret-1'];

  beforeAll(async () => {
    ctx = await startAuthApi();
    cc = await seedContactCenter(ctx.database, ['t100']);
    await createClient(ctx.app, {
      client_id: 'gateway',
      client_secret: 'gateway-secret-1',
      internalClient: true,
      authorities: ['ROLE_INTERNAL_CLIENT'],
      authorizedGrantTypes: ['client_credentials'],
    });
    await createClient(ctx.app, {
      client_id: 'frontend',
      client_secret: 'frontend-secret-1',
      authorizedGrantTypes: ['password', 'refresh_token', EXCHANGE],
    });
    // The attacker of the issue: scope read, no authorities, not internal.
    await createClient(ctx.app, {
      client_id: 'reader',
      client_secret: 'reader-secret-1',
      scope: ['read'],
      authorizedGrantTypes: [EXCHANGE],
    });
    await createClient(ctx.app, {
      client_id: 'trusting',
      client_secret: 'trusting-secret-1',
      scope: ['read'],
      authorities: ['ROLE_INTERNAL_CLIENT'],
      authorizedGrantTypes: [EXCHANGE],
      tokenExchange: { subjectClients: ['frontend'], subjectTokenTypes: [ACCESS, REFRESH], audiences: ['urn:svc:a'] },
    });
    const user = await http()
      .post('/auth/v3/ops/users')
      .set('Authorization', OPS_BASIC)
      .send({
        data: { contactCenterId: cc.contactCenterId, username: 'agent1', password: 'correct horse battery' },
      });
    expect(user.status).toBe(200);
  });
  afterAll(() => ctx.close());

  it("refuses another client's access, refresh and id tokens without a policy naming that client", async () => {
    const login = await opsLogin(FRONTEND);
    expect(login.status).toBe(200);
    for (const [subject_token, subject_token_type] of [
      [login.body.access_token, ACCESS],
      [login.body.refresh_token, REFRESH],
      [login.body.id_token, ID],
      [login.body.id_token, JWT],
    ]) {
      const response = await exchange(READER, { subject_token, subject_token_type });
      expect({ type: subject_token_type, status: response.status, error: response.body.error }).toEqual({
        type: subject_token_type,
        status: 400,
        error: 'invalid_grant',
      });
    }
    // The refused refresh token was not spent.
    expect(
      (await token(FRONTEND, { grant_type: 'refresh_token', refresh_token: login.body.refresh_token })).status,
    ).toBe(200);
  });

  it("caps a permitted exchange at the caller's registered scope and authorities", async () => {
    const login = await opsLogin(FRONTEND);
    const response = await exchange(TRUSTING, { subject_token: login.body.access_token, subject_token_type: ACCESS });
    expect(response.status).toBe(200);
    expect(response.body.scope).toBe('openid read');
    const details = await introspect(response.body.access_token);
    expect(details.body).toMatchObject({ active: true, sub: 'ops', client_id: 'trusting', scope: 'openid read' });
    const userinfo = await http().get('/auth/v3/userinfo').set('Authorization', `Bearer ${response.body.access_token}`);
    expect(userinfo.body.username).toBe('ops');
    // ROLE_OPS is the user's, not the caller's: it does not pass.
    expect(userinfo.body.authorities).toEqual(['ROLE_INTERNAL_CLIENT']);
    const wider = await exchange(TRUSTING, {
      subject_token: login.body.access_token,
      subject_token_type: ACCESS,
      scope: 'write',
    });
    expect(wider.status).toBe(400);
    expect(wider.body.error).toBe('invalid_scope');
  });

  it("never exchanges another client's refresh token, even for a client the policy names", async () => {
    const login = await opsLogin(FRONTEND);
    const response = await exchange(TRUSTING, { subject_token: login.body.refresh_token, subject_token_type: REFRESH });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_grant');
  });

  it('enforces the policy: subject token types and audiences', async () => {
    const login = await opsLogin(FRONTEND);
    const idToken = await exchange(TRUSTING, { subject_token: login.body.id_token, subject_token_type: ID });
    expect(idToken.status).toBe(400);
    expect(idToken.body.error).toBe('invalid_request');
    const audience = await exchange(TRUSTING, {
      subject_token: login.body.access_token,
      subject_token_type: ACCESS,
      audience: 'urn:svc:b',
    });
    expect(audience.status).toBe(400);
    expect(audience.body.error).toBe('invalid_target');
    const allowed = await exchange(TRUSTING, {
      subject_token: login.body.access_token,
      subject_token_type: ACCESS,
      audience: 'urn:svc:a',
    });
    expect(allowed.status).toBe(200);
  });

  it('rotates an exchanged refresh token: a replay revokes the family', async () => {
    const login = await opsLogin(FRONTEND);
    const first = await exchange(FRONTEND, { subject_token: login.body.refresh_token, subject_token_type: REFRESH });
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).toEqual(expect.any(String));
    expect(first.body.refresh_token).not.toBe(login.body.refresh_token);
    const replay = await exchange(FRONTEND, { subject_token: login.body.refresh_token, subject_token_type: REFRESH });
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
    // The whole family is gone: the successor and the access token minted with it.
    expect(
      (await token(FRONTEND, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token })).status,
    ).toBe(400);
    expect((await introspect(first.body.access_token)).body.active).toBe(false);
  });

  it('refuses a revoked JWT access token presented as a JWT', async () => {
    await createClient(ctx.app, {
      client_id: 'jwtapp',
      client_secret: 'jwtapp-secret-1',
      tokenFormat: 'jwt',
      authorizedGrantTypes: ['password', EXCHANGE],
    });
    const login = await opsLogin(['jwtapp', 'jwtapp-secret-1'], '*');
    const live = await exchange(['jwtapp', 'jwtapp-secret-1'], {
      subject_token: login.body.access_token,
      subject_token_type: JWT,
    });
    expect(live.status).toBe(200);
    await http()
      .post('/auth/v3/oauth/revoke')
      .auth('jwtapp', 'jwtapp-secret-1')
      .type('form')
      .send({ token: login.body.access_token })
      .expect(200);
    const revoked = await exchange(['jwtapp', 'jwtapp-secret-1'], {
      subject_token: login.body.access_token,
      subject_token_type: JWT,
    });
    expect(revoked.status).toBe(400);
    expect(revoked.body.error).toBe('invalid_grant');
  });

  it('refuses X-GWS-User JWTs and keeps a client named like the ops user a client', async () => {
    await createClient(ctx.app, {
      client_id: 'ops',
      client_secret: 'ops-client-secret-1',
      authorizedGrantTypes: ['client_credentials', EXCHANGE],
    });
    const OPS_CLIENT: [string, string] = ['ops', 'ops-client-secret-1'];
    const own = await token(OPS_CLIENT, { grant_type: 'client_credentials' });
    expect(own.status).toBe(200);
    const gws = await http().get('/auth/v3/jwt-userinfo').set('Authorization', `Bearer ${own.body.access_token}`);
    const gwsUser = gws.headers['x-gws-user'] as string;
    expect(gwsUser).toEqual(expect.any(String));
    for (const type of [JWT, ID]) {
      const response = await exchange(OPS_CLIENT, { subject_token: gwsUser, subject_token_type: type });
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_grant');
    }
    const fromAccess = await exchange(OPS_CLIENT, {
      subject_token: own.body.access_token,
      subject_token_type: ACCESS,
    });
    expect(fromAccess.status).toBe(200);
    const userinfo = await http()
      .get('/auth/v3/userinfo')
      .set('Authorization', `Bearer ${fromAccess.body.access_token}`);
    expect(userinfo.body.authorities).not.toContain('ROLE_OPS');
    expect((await introspect(fromAccess.body.access_token)).body.authorities ?? []).not.toContain('ROLE_OPS');
  });

  it("refuses a disabled user's tokens and id token, and a signed-out user's id token", async () => {
    const agent = () =>
      token(FRONTEND, {
        grant_type: 'password',
        username: 't100\\agent1',
        password: 'correct horse battery',
        scope: 'openid',
      });
    const before = await agent();
    expect(before.status).toBe(200);
    const signedOut = await agent();
    // A global sign-out (UserSignOut, as after a password change) kills id tokens issued before it.
    await http().get('/auth/v3/sign-out?global=true').set('Authorization', `Bearer ${signedOut.body.access_token}`);
    const afterSignOut = await exchange(FRONTEND, { subject_token: signedOut.body.id_token, subject_token_type: ID });
    expect(afterSignOut.status).toBe(400);
    // Disabled in the directory itself (as an LDAP or Configuration Server account may be), no sign-out ran.
    const live = await agent();
    await ctx.database.query(`UPDATE local_user SET enabled = false WHERE username = 'agent1'`);
    for (const [subject_token, subject_token_type] of [
      [live.body.id_token, ID],
      [live.body.access_token, ACCESS],
      [live.body.refresh_token, REFRESH],
    ]) {
      const response = await exchange(FRONTEND, { subject_token, subject_token_type });
      expect({ type: subject_token_type, status: response.status }).toEqual({ type: subject_token_type, status: 400 });
    }
    await ctx.database.query(`UPDATE local_user SET enabled = true WHERE username = 'agent1'`);
  });

  it("refuses users outside the caller's contact centers", async () => {
    await createClient(ctx.app, {
      client_id: 'tenant-bound',
      client_secret: 'tenant-bound-secret-1',
      contactCenterIds: [cc.contactCenterId],
      authorizedGrantTypes: [EXCHANGE],
      tokenExchange: { subjectClients: ['frontend'] },
    });
    const login = await opsLogin(FRONTEND);
    const response = await exchange(['tenant-bound', 'tenant-bound-secret-1'], {
      subject_token: login.body.access_token,
      subject_token_type: ACCESS,
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_grant');
  });
});

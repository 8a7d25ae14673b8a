import { AuthApiTestContext, createClient, OPS, startAuthApi } from '../../testing/auth-api-test-app';

/**
 * /metrics after a scripted session of grants and failures: each counter carries exactly what the
 * session did, with bounded labels (no client ids or user names).
 */
describe('auth-api metrics after a scripted session', () => {
  let ctx: AuthApiTestContext;
  let text: string;

  const token = (form: Record<string, string>, client: [string, string] = ['app', 'app-secret']) =>
    ctx.app.http().post('/auth/v3/oauth/token').auth(client[0], client[1]).type('form').send(form);
  const introspect = (value: string, client: [string, string] = ['app', 'app-secret']) =>
    ctx.app.http().post('/auth/v3/oauth/introspect').auth(client[0], client[1]).type('form').send({ token: value });
  const userinfo = (accessToken: string) =>
    ctx.app.http().get('/auth/v3/userinfo').set('Authorization', `Bearer ${accessToken}`);

  /** The value of the sample with exactly these labels (plus the service's default label). */
  const value = (name: string, labels: Record<string, string>, from = text): number => {
    const wanted = Object.entries(labels).map(([key, label]) => `${key}="${label}"`);
    for (const line of from.split('\n')) {
      if (!line.startsWith(`${name}{`)) continue;
      const [labelPart, sample] = [line.slice(name.length + 1, line.lastIndexOf('}')), line.split(' ').pop()];
      const present = labelPart.split(',').filter((pair) => !pair.startsWith('service='));
      if (present.length === wanted.length && wanted.every((pair) => present.includes(pair))) return Number(sample);
    }
    return 0;
  };

  beforeAll(async () => {
    // No grace window: the scripted reuse of a rotated refresh token must count as reuse at once.
    ctx = await startAuthApi({
      LOG_LEVEL: 'fatal',
      SIGN_IN_FAILURE_MIN_MS: '0',
      REFRESH_TOKEN_REUSE_GRACE_SECONDS: '0',
      // A lockout after 3 failures of one account, without the progressive delay (the last test).
      LOGIN_LOCKOUT_FAILURES: '3',
      LOGIN_THROTTLE_DELAY_MS: '0',
    });
    await createClient(ctx.app, {
      client_id: 'app',
      client_secret: 'app-secret',
      authorizedGrantTypes: ['client_credentials', 'password', 'refresh_token'],
      refreshTokenExpirationTimeout: 3600,
    });

    // Token endpoint: 2 client_credentials, 2 password logins, 1 refresh, then failures.
    const service = await token({ grant_type: 'client_credentials' });
    expect(service.status).toBe(200);
    expect((await token({ grant_type: 'client_credentials' })).status).toBe(200);
    const login = await token({ grant_type: 'password', username: OPS.username, password: OPS.password });
    expect(login.status).toBe(200);
    const second = await token({ grant_type: 'password', username: OPS.username, password: OPS.password });
    expect(second.status).toBe(200);
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: login.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect((await token({ grant_type: 'password', username: OPS.username, password: 'wrong' })).status).toBe(400);
    expect((await token({ grant_type: 'client_credentials' }, ['app', 'wrong-secret'])).status).toBe(401);
    expect((await token({ grant_type: 'urn:example:made-up' })).status).toBe(400);
    // Reuse of the rotated refresh token: invalid_grant, and the family is revoked.
    expect((await token({ grant_type: 'refresh_token', refresh_token: login.body.refresh_token })).status).toBe(400);
    // RFC 7009 revocation of the second login's family.
    await ctx.app
      .http()
      .post('/auth/v3/oauth/revoke')
      .auth('app', 'app-secret')
      .type('form')
      .send({ token: second.body.refresh_token, token_type_hint: 'refresh_token' })
      .expect(200);

    // Validations: 2 active and 1 inactive introspection, 1 with a bad client; 3 userinfo valid, 2 invalid.
    expect((await introspect(service.body.access_token)).body.active).toBe(true);
    expect((await introspect(refreshed.body.access_token)).body.active).toBe(false);
    expect((await introspect(second.body.access_token)).body.active).toBe(false);
    expect((await introspect('nothing-like-a-token')).body.active).toBe(false);
    expect((await introspect(service.body.access_token, ['app', 'wrong-secret'])).status).toBe(401);
    for (let i = 0; i < 3; i += 1) await userinfo(service.body.access_token).expect(200);
    await userinfo('unknown').expect(401);
    await ctx.app.http().get('/auth/v3/userinfo').expect(401);

    text = await (await fetch(`${ctx.app.service.managementUrl}/metrics`)).text();
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('counts token requests by grant type, client type and outcome', () => {
    const tokens = (grant: string, clientType: string, outcome: string) =>
      value('auth_token_requests_total', { grant_type: grant, client_type: clientType, outcome });
    expect(tokens('client_credentials', 'confidential', 'success')).toBe(2);
    expect(tokens('password', 'confidential', 'success')).toBe(2);
    expect(tokens('refresh_token', 'confidential', 'success')).toBe(1);
    expect(tokens('password', 'confidential', 'invalid_grant')).toBe(1);
    expect(tokens('client_credentials', 'unknown', 'invalid_client')).toBe(1);
    // An unknown grant type is `other`, never the raw value.
    expect(tokens('other', 'confidential', 'unsupported_grant_type')).toBe(1);
    expect(text).not.toContain('urn:example:made-up');
    expect(tokens('refresh_token', 'confidential', 'invalid_grant')).toBe(1);
  });

  it('counts refresh-family revocations by reason', () => {
    expect(value('auth_refresh_family_revocations_total', { reason: 'reuse_detected' })).toBe(1);
    expect(value('auth_refresh_family_revocations_total', { reason: 'revoked' })).toBe(1);
  });

  it('counts sign-ins by directory, channel and outcome', () => {
    expect(value('auth_sign_ins_total', { directory: 'ops', channel: 'password_grant', outcome: 'success' })).toBe(2);
    expect(value('auth_sign_ins_total', { directory: 'none', channel: 'password_grant', outcome: 'rejected' })).toBe(1);
  });

  it('counts validations (introspection, userinfo) by outcome', () => {
    // The refreshed token's family was revoked by the reuse, the second login's by RFC 7009.
    expect(value('auth_token_validations_total', { endpoint: 'introspection', outcome: 'active' })).toBe(1);
    expect(value('auth_token_validations_total', { endpoint: 'introspection', outcome: 'inactive' })).toBe(3);
    expect(value('auth_token_validations_total', { endpoint: 'introspection', outcome: 'invalid_client' })).toBe(1);
    expect(value('auth_token_validations_total', { endpoint: 'userinfo', outcome: 'valid' })).toBe(3);
    expect(value('auth_token_validations_total', { endpoint: 'userinfo', outcome: 'invalid' })).toBe(2);
  });

  it('reports the age of the signing key and no client ids or user names as labels', () => {
    const age = Number(/^auth_signing_key_age_seconds\{[^}]*\} ([\d.e+-]+)/m.exec(text)?.[1]);
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(3600);
    // The client id never appears (`ops` does, as the name of the ops-user directory).
    expect(text).not.toContain('="app"');
  });

  it('counts failed checks, lockouts and attempts refused while locked (brute-force throttle)', async () => {
    const scrape = async () => (await fetch(`${ctx.app.service.managementUrl}/metrics`)).text();
    const before = await scrape();
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await token({ grant_type: 'password', username: 'nobody-here', password: 'wrong' })).status).toBe(400);
    }
    const locked = await token({ grant_type: 'password', username: 'nobody-here', password: 'wrong' });
    expect(locked.status).toBe(429);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) =>
      value(name, labels, after) - value(name, labels, before);
    expect(delta('auth_failed_attempts_total', { credential: 'user' })).toBe(3);
    expect(delta('auth_lockouts_total', { credential: 'user', scope: 'account' })).toBe(1);
    expect(delta('auth_throttled_attempts_total', { credential: 'user' })).toBe(1);
    expect(delta('auth_sign_ins_total', { directory: 'none', channel: 'password_grant', outcome: 'locked' })).toBe(1);
    expect(after).not.toContain('nobody-here');
  });
});

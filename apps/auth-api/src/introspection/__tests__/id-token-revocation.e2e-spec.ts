import { randomBytes } from 'node:crypto';
import { sha256Hex, TOKEN_STORE, type TokenStore } from '@cxauth/domain';
import { KeyRing } from '../../signing-keys/key-ring.service';
import { AuthApiTestContext, createClient, startAuthApi } from '../../testing/auth-api-test-app';

const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ID = 'urn:ietf:params:oauth:token-type:id_token';
const SIGNED_OUT = '/ui/auth/signed-out.html';
const RP_SIGNED_OUT = 'https://rp.example.com/signed-out';
const LIFETIME = 600;

interface Tokens {
  access_token: string;
  refresh_token: string;
  id_token: string;
}

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));

/**
 * id tokens revoked one by one (RFC 7009 `POST /oauth/revoke`, real Redis and PostgreSQL): each id
 * token carries a `jti`; its client revokes it until its `exp` (`idt-revoked:<jti>`); token exchange
 * and sign-out's `id_token_hint` then refuse it. Another client's id token is a no-op 200; an id token
 * without a `jti` (issued before) keeps the old rule.
 */
describe('id token revocation', () => {
  let ctx: AuthApiTestContext;
  const http = () => ctx.app.http();
  const login = async (client: [string, string] = ['rp', 'rp-secret']): Promise<Tokens> => {
    const response = await http()
      .post('/auth/v3/oauth/token')
      .auth(client[0], client[1])
      .type('form')
      .send({ grant_type: 'password', username: 'ops', password: 'ops', scope: 'openid' });
    expect(response.status).toBe(200);
    return response.body as Tokens;
  };
  const revoke = (token: string, client: [string, string] = ['rp', 'rp-secret'], hint?: string) =>
    http()
      .post('/auth/v3/oauth/revoke')
      .auth(client[0], client[1])
      .type('form')
      .send({ token, ...(hint ? { token_type_hint: hint } : {}) });
  const exchange = (idToken: string) =>
    http()
      .post('/auth/v3/oauth/token')
      .auth('rp', 'rp-secret')
      .type('form')
      .send({ grant_type: EXCHANGE, subject_token: idToken, subject_token_type: ID });
  const signOut = (idToken: string, extra: Record<string, string> = {}) =>
    http()
      .get(
        `/auth/v3/sign-out?${new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: RP_SIGNED_OUT, ...extra })}`,
      )
      .redirects(0);
  const revokedKey = (jti: string) => `${ctx.prefix}idt-revoked:${jti}`;
  /** A browser session of the ops user, as the sign-in page leaves it in Redis. */
  const browserSession = async (): Promise<string> => {
    const value = randomBytes(32).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const id = sha256Hex(value);
    const user = {
      id: 'ops',
      username: 'ops',
      contactCenterId: null,
      environmentId: null,
      authorities: [],
      properties: {},
    };
    const session = { id, user, authTime: now, absoluteExpiresAt: now + 3600, lastSeenAt: now, clients: ['rp'] };
    await ctx.redis.set(`${ctx.prefix}session:${id}`, JSON.stringify(session), 'EX', 3600);
    await ctx.redis.sadd(`${ctx.prefix}session-user:${sha256Hex('ops')}`, id);
    return value;
  };

  beforeAll(async () => {
    ctx = await startAuthApi();
    await createClient(ctx.app, {
      client_id: 'rp',
      client_secret: 'rp-secret',
      authorizedGrantTypes: ['password', 'refresh_token', EXCHANGE, 'client_credentials'],
      redirectURIs: [RP_SIGNED_OUT],
      accessTokenExpirationTimeout: LIFETIME,
    });
    await createClient(ctx.app, {
      client_id: 'other',
      client_secret: 'other-secret',
      authorizedGrantTypes: ['password'],
    });
  });
  afterAll(() => ctx?.close());

  it('gives every id token its own jti', async () => {
    const [a, b] = [await login(), await login()];
    expect(claims(a.id_token).jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims(a.id_token).jti).not.toBe(claims(b.id_token).jti);
  });

  it("revoking another client's id token is a no-op 200: nothing stored, the token still exchanges", async () => {
    const tokens = await login();
    const response = await revoke(tokens.id_token, ['other', 'other-secret']);
    expect(response.status).toBe(200);
    expect(await ctx.redis.exists(revokedKey(claims(tokens.id_token).jti))).toBe(0);
    expect((await exchange(tokens.id_token)).status).toBe(200);
  });

  it('revokes its own id token until exp; exchange refuses it, the next id token still works', async () => {
    const tokens = await login();
    const { jti, exp } = claims(tokens.id_token);
    const response = await revoke(tokens.id_token);
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
    const ttl = await ctx.redis.ttl(revokedKey(jti));
    expect(ttl).toBeGreaterThan(LIFETIME - 120);
    expect(ttl).toBeLessThanOrEqual(exp - Math.floor(Date.now() / 1000) + 1);
    // A token_type_hint of refresh_token does not hide it either.
    const again = await login();
    await revoke(again.id_token, undefined, 'refresh_token').expect(200);
    expect(await ctx.redis.exists(revokedKey(claims(again.id_token).jti))).toBe(1);

    const refused = await exchange(tokens.id_token);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid_grant', error_description: 'subject_token has been revoked' });
    // One by one: the access and refresh tokens issued with it, and the user's other id tokens, stay live.
    const userinfo = await http().get('/auth/v3/userinfo').set('Authorization', `Bearer ${tokens.access_token}`);
    expect(userinfo.status).toBe(200);
    const other = await login();
    expect((await exchange(other.id_token)).status).toBe(200);
  });

  it('sign-out takes a revoked id_token_hint as no hint: no redirect, no global sign-out on its word', async () => {
    const live = await login();
    const hinted = await signOut(live.id_token, { state: 's1' });
    expect(hinted.status).toBe(302);
    expect(hinted.headers.location).toBe(`${RP_SIGNED_OUT}?state=s1`);

    const revoked = await login();
    await revoke(revoked.id_token).expect(200);
    const refused = await signOut(revoked.id_token, { state: 's2' });
    expect(refused.status).toBe(302);
    expect(refused.headers.location).toBe(SIGNED_OUT);
    // A cross-site global sign-out asked on the revoked hint's word ends this browser's session only.
    const bystander = await login();
    const cookie = await browserSession();
    const global = await signOut(revoked.id_token, { global: 'true' })
      .set('Cookie', `cxauth_session=${cookie}`)
      .set('Sec-Fetch-Site', 'cross-site');
    expect(global.status).toBe(302);
    expect(await ctx.redis.exists(`${ctx.prefix}session:${sha256Hex(cookie)}`)).toBe(0);
    const userinfo = await http().get('/auth/v3/userinfo').set('Authorization', `Bearer ${bystander.access_token}`);
    expect(userinfo.status).toBe(200);
    // Not ours at all is still 400 (code 2).
    const forged = await http().get('/auth/v3/sign-out?id_token_hint=e30.e30.x').redirects(0);
    expect(forged.status).toBe(400);
    expect(forged.body.status.code).toBe(2);
  });

  it('an id token without a jti (issued before) cannot be revoked one by one and keeps working', async () => {
    const tokens = await login();
    const before = claims(tokens.id_token);
    for (const name of ['jti', 'iss', 'iat', 'exp']) delete before[name];
    const legacy = await ctx.app.service.app.get(KeyRing).sign(before, { expiresInSeconds: LIFETIME });
    expect(claims(legacy).jti).toBeUndefined();
    await revoke(legacy).expect(200);
    expect((await exchange(legacy)).status).toBe(200);
    expect((await signOut(legacy)).headers.location).toBe(RP_SIGNED_OUT);
  });

  it('adds no revocation read to client_credentials, userinfo, introspection and revocation of opaque tokens', async () => {
    const store = ctx.app.service.app.get<TokenStore>(TOKEN_STORE);
    const idReads = jest.spyOn(store, 'idTokenRevoked');
    const subjectReads = jest.spyOn(store, 'subjectRevokedAt');
    try {
      const cc = await http()
        .post('/auth/v3/oauth/token')
        .auth('rp', 'rp-secret')
        .type('form')
        .send({ grant_type: 'client_credentials' });
      expect(cc.status).toBe(200);
      await http().get('/auth/v3/userinfo').set('Authorization', `Bearer ${cc.body.access_token}`).expect(200);
      const introspection = await http()
        .post('/auth/v3/oauth/introspect')
        .auth('rp', 'rp-secret')
        .type('form')
        .send({ token: cc.body.access_token });
      expect(introspection.body.active).toBe(true);
      await revoke(cc.body.access_token).expect(200);
      const user = await login();
      await revoke(user.refresh_token).expect(200);
      expect(idReads).not.toHaveBeenCalled();
      expect(subjectReads).not.toHaveBeenCalled();
      // An id token as exchange subject is where the reads happen.
      expect((await exchange(user.id_token)).status).toBe(200);
      expect(idReads).toHaveBeenCalledTimes(1);
    } finally {
      idReads.mockRestore();
      subjectReads.mockRestore();
    }
  });

  // Last: it signs the ops user out everywhere.
  it('the old rule: a sign-out everywhere ends every earlier id token, with or without a jti', async () => {
    const tokens = await login();
    const legacyClaims = claims(tokens.id_token);
    for (const name of ['jti', 'iss', 'iat', 'exp']) delete legacyClaims[name];
    const legacy = await ctx.app.service.app.get(KeyRing).sign(legacyClaims, { expiresInSeconds: LIFETIME });
    await http()
      .post('/auth/v3/sign-out?global=true')
      .set('Authorization', `Bearer ${tokens.access_token}`)
      .expect(200);
    for (const idToken of [tokens.id_token, legacy]) {
      expect((await exchange(idToken)).status).toBe(400);
      expect((await signOut(idToken)).headers.location).toBe(SIGNED_OUT);
    }
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { AUTHORIZATION_CODE_STORE, AuthorizationCodeRecord, AuthorizationCodeStore, sha256Hex } from '@cxauth/domain';
import { AuthApiTestContext, createClient, startAuthApi } from '../../testing/auth-api-test-app';

const REDIRECT = 'https://app.example.com/callback';

describe('authorization_code grant (PKCE S256, single use)', () => {
  let ctx: AuthApiTestContext;
  let codes: AuthorizationCodeStore;

  const user = {
    id: 'ops',
    username: 'ops',
    contactCenterId: null,
    environmentId: null,
    authorities: ['ROLE_OPS'],
    properties: {},
  };

  beforeAll(async () => {
    ctx = await startAuthApi();
    codes = ctx.app.service.app.get<AuthorizationCodeStore>(AUTHORIZATION_CODE_STORE);
    await createClient(ctx.app, {
      client_id: 'web',
      client_secret: 'web-secret',
      authorizedGrantTypes: ['authorization_code', 'refresh_token'],
      redirectURIs: [REDIRECT],
    });
    await createClient(ctx.app, {
      client_id: 'spa',
      clientType: 'PUBLIC',
      authorizedGrantTypes: ['authorization_code', 'refresh_token'],
      redirectURIs: [REDIRECT],
    });
  });
  afterAll(async () => {
    await ctx.close();
  });

  const pkce = () => {
    const verifier = randomBytes(32).toString('base64url');
    return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
  };
  const issue = (overrides: Partial<AuthorizationCodeRecord> = {}) =>
    codes.issue({
      clientId: 'web',
      redirectUri: REDIRECT,
      scope: 'openid',
      user,
      authTime: 1_700_000_000,
      nonce: 'n-1',
      ...overrides,
    });
  const redeem = (form: Record<string, string>, auth: [string, string] | null = ['web', 'web-secret']) => {
    const request = ctx.app.http().post('/auth/v3/oauth/token').type('form');
    return (auth ? request.auth(auth[0], auth[1]) : request).send({ grant_type: 'authorization_code', ...form });
  };

  it('stores codes in Redis under a hash, with a 60 s lifetime', async () => {
    const code = await issue();
    const keys = await ctx.redis.keys(`${ctx.prefix}ac:*`);
    expect(keys).toContain(`${ctx.prefix}ac:{${sha256Hex(code)}}`);
    expect(keys.some((key) => key.includes(code))).toBe(false);
    const stored = JSON.parse((await ctx.redis.get(`${ctx.prefix}ac:{${sha256Hex(code)}}`))!);
    expect(stored.expiresAt - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(60);
  });

  it('redeems a code with PKCE for tokens, an id_token (openid) and a refresh token', async () => {
    const { verifier, challenge } = pkce();
    const code = await issue({ codeChallenge: challenge, codeChallengeMethod: 'S256' });
    const response = await redeem({ code, redirect_uri: REDIRECT, code_verifier: verifier });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ token_type: 'bearer', scope: 'openid' });
    expect(response.body.refresh_token).toBeDefined();
    const [, payload] = (response.body.id_token as string).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    expect(claims).toMatchObject({
      sub: 'ops',
      aud: 'web',
      nonce: 'n-1',
      auth_time: 1_700_000_000,
      iss: 'http://localhost:8080/auth/v3',
    });
  });

  it('refuses a wrong code_verifier, a missing one, and a wrong redirect_uri — without using the code up', async () => {
    const { verifier, challenge } = pkce();
    const code = await issue({ codeChallenge: challenge, codeChallengeMethod: 'S256' });
    const wrong = await redeem({ code, redirect_uri: REDIRECT, code_verifier: pkce().verifier });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual({ error: 'invalid_grant', error_description: 'PKCE verification failed' });
    const missing = await redeem({ code, redirect_uri: REDIRECT });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('invalid_request');
    const redirect = await redeem({ code, redirect_uri: `${REDIRECT}/other`, code_verifier: verifier });
    expect(redirect.status).toBe(400);
    expect(redirect.body.error_description).toBe('redirect_uri does not match the authorization request');
    expect((await redeem({ code, redirect_uri: REDIRECT, code_verifier: verifier })).status).toBe(200);
  });

  it('checks expiry before PKCE', async () => {
    const { challenge } = pkce();
    const code = await issue({ codeChallenge: challenge, codeChallengeMethod: 'S256' });
    const key = `${ctx.prefix}ac:{${sha256Hex(code)}}`;
    const stored = JSON.parse((await ctx.redis.get(key))!);
    stored.expiresAt = Math.floor(Date.now() / 1000) - 1;
    await ctx.redis.set(key, JSON.stringify(stored), 'EX', 30);
    const response = await redeem({ code, redirect_uri: REDIRECT, code_verifier: 'x'.repeat(43) });
    expect(response.status).toBe(400);
    expect(response.body.error_description).toBe('Authorization code has expired');
  });

  it('is single use: a replay fails and revokes everything the first redemption issued', async () => {
    const code = await issue({ scope: '*' });
    const first = await redeem({ code, redirect_uri: REDIRECT });
    expect(first.status).toBe(200);
    const replay = await redeem({ code, redirect_uri: REDIRECT });
    expect(replay.status).toBe(400);
    expect(replay.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Authorization code has already been used',
    });
    expect(await ctx.redis.exists(`${ctx.prefix}at:${sha256Hex(first.body.access_token)}`)).toBe(0);
    const [row] = await ctx.database.query<{ revoked_at: Date | null }>(
      'SELECT revoked_at FROM refresh_token WHERE token_hash = $1',
      [sha256Hex(first.body.refresh_token)],
    );
    expect(row!.revoked_at).not.toBeNull();
  });

  it('refuses a code issued to another client and an unknown code', async () => {
    const code = await issue({ clientId: 'spa' });
    const foreign = await redeem({ code, redirect_uri: REDIRECT });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error_description).toBe('Authorization code was issued to another client');
    const unknown = await redeem({ code: 'nope', redirect_uri: REDIRECT });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe('invalid_grant');
  });

  it('requires PKCE for PUBLIC clients, which authenticate with client_id alone', async () => {
    const plain = await issue({ clientId: 'spa' });
    const refused = await redeem({ code: plain, redirect_uri: REDIRECT, client_id: 'spa' }, null);
    expect(refused.status).toBe(400);
    expect(refused.body.error_description).toBe('PKCE is required for public clients');
    const { verifier, challenge } = pkce();
    const code = await issue({ clientId: 'spa', codeChallenge: challenge, codeChallengeMethod: 'S256' });
    const ok = await redeem({ code, redirect_uri: REDIRECT, client_id: 'spa', code_verifier: verifier }, null);
    expect(ok.status).toBe(200);
  });
});

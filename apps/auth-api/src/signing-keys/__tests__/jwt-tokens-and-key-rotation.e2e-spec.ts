import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { createTestApp } from '@cxauth/testing';
import { authApiConfigSchema } from '../../auth-api.config';
import { authApiService } from '../../auth-api.service';
import { AuthApiTestContext, createClient, OPS, startAuthApi } from '../../testing/auth-api-test-app';

const ISSUER = 'http://localhost:8080/auth/v3';

describe('JWT access tokens (RFC 9068), signing keys and rotation', () => {
  let ctx: AuthApiTestContext;

  beforeAll(async () => {
    ctx = await startAuthApi();
    await createClient(ctx.app, {
      client_id: 'jwt-client',
      client_secret: 'jwt-secret',
      tokenFormat: 'jwt',
      authorities: ['ROLE_X'],
      authorizedGrantTypes: ['client_credentials', 'password', 'refresh_token'],
    });
  });
  afterAll(async () => {
    await ctx.close();
  });

  const jwks = async () => (await ctx.app.http().get('/auth/v3/jwks')).body as { keys: Record<string, unknown>[] };
  const clientToken = async () =>
    (
      await ctx.app
        .http()
        .post('/auth/v3/oauth/token')
        .auth('jwt-client', 'jwt-secret')
        .type('form')
        .send({ grant_type: 'client_credentials' })
    ).body.access_token as string;

  it('stores one ES256 key with the private part encrypted, and publishes only public parts', async () => {
    const rows = await ctx.database.query<{
      algorithm: string;
      encrypted_private_jwk: string;
      public_jwk: Record<string, unknown>;
    }>('SELECT algorithm, encrypted_private_jwk, public_jwk FROM signing_key');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.algorithm).toBe('ES256');
    expect(rows[0]!.public_jwk).not.toHaveProperty('d');
    expect(rows[0]!.encrypted_private_jwk).not.toContain('"d"');
    const set = await jwks();
    expect(set.keys).toHaveLength(1);
    expect(set.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(set.keys[0]).not.toHaveProperty('d');
  });

  it('issues RFC 9068 JWT access tokens that verify with the JWKS and work on userinfo', async () => {
    const token = await clientToken();
    expect(decodeProtectedHeader(token).typ).toBe('at+jwt');
    const { payload } = await jwtVerify(token, createLocalJWKSet(await jwks()), { issuer: ISSUER, typ: 'at+jwt' });
    expect(payload).toMatchObject({ sub: 'jwt-client', client_id: 'jwt-client', scope: '*', aud: ['jwt-client'] });
    expect(typeof payload.jti).toBe('string');
    const userinfo = await ctx.app.http().get('/auth/v3/userinfo').set('Authorization', `Bearer ${token}`);
    expect(userinfo.status).toBe(200);
    expect(userinfo.body.username).toBe('jwt-client');
  });

  it('rotation: the new key signs, tokens signed by the old key still verify and still work', async () => {
    const before = await clientToken();
    const oldKid = decodeProtectedHeader(before).kid;
    const rotate = await ctx.app.http().post('/auth/v3/ops/signing-keys/rotate').auth(OPS.username, OPS.password);
    expect(rotate.status).toBe(200);
    expect(rotate.body.data.kid).not.toBe(oldKid);
    const after = await clientToken();
    expect(decodeProtectedHeader(after).kid).toBe(rotate.body.data.kid);

    const set = await jwks();
    expect(set.keys.map((key) => key.kid)).toEqual([rotate.body.data.kid, oldKid]);
    await expect(jwtVerify(before, createLocalJWKSet(set), { issuer: ISSUER })).resolves.toBeDefined();
    await expect(jwtVerify(after, createLocalJWKSet(set), { issuer: ISSUER })).resolves.toBeDefined();
    expect((await ctx.app.http().get('/auth/v3/userinfo').set('Authorization', `Bearer ${before}`)).status).toBe(200);

    const list = await ctx.app.http().get('/auth/v3/ops/signing-keys').auth(OPS.username, OPS.password);
    expect(list.body.data.map((key: { status: string }) => key.status)).toEqual(['active', 'verify-only']);
    const rows = await ctx.database.query<{ kid: string; retired_at: Date | null }>(
      'SELECT kid, retired_at FROM signing_key',
    );
    expect(rows.find((row) => row.kid === oldKid)!.retired_at!.getTime()).toBeGreaterThan(
      Date.now() + 6 * 24 * 3600 * 1000,
    );
  });

  it('keys survive a restart (loaded from Postgres, decrypted with ENCRYPTION_KEY)', async () => {
    const token = await clientToken();
    const kid = decodeProtectedHeader(token).kid;
    await ctx.app.close();
    ctx.app = await createTestApp(authApiConfigSchema, authApiService, ctx.env);
    const set = await jwks();
    expect(set.keys[0]!.kid).toBe(kid);
    const next = await clientToken();
    expect(decodeProtectedHeader(next).kid).toBe(kid);
    expect((await ctx.app.http().get('/auth/v3/userinfo').set('Authorization', `Bearer ${token}`)).status).toBe(200);
  });

  it('rotation requires the ops credentials', async () => {
    expect((await ctx.app.http().post('/auth/v3/ops/signing-keys/rotate').auth('ops', 'bad')).status).toBe(401);
  });

  it('publishes OpenID discovery that matches the issuer and endpoints', async () => {
    const response = await ctx.app.http().get('/auth/v3/.well-known/openid-configuration');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      issuer: ISSUER,
      token_endpoint: `${ISSUER}/oauth/token`,
      jwks_uri: `${ISSUER}/jwks`,
      introspection_endpoint: `${ISSUER}/oauth/introspect`,
      revocation_endpoint: `${ISSUER}/oauth/revoke`,
      userinfo_endpoint: `${ISSUER}/openid/userinfo`,
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    });
    expect(response.body.grant_types_supported).toContain('urn:ietf:params:oauth:grant-type:jwt-bearer');
  });
});

describe('RS256 signing keys (TOKEN_SIGNING_ALGORITHM=RS256)', () => {
  let ctx: AuthApiTestContext;

  beforeAll(async () => {
    ctx = await startAuthApi({ TOKEN_SIGNING_ALGORITHM: 'RS256' });
    await createClient(ctx.app, {
      client_id: 'rsa-client',
      client_secret: 'rsa-secret',
      tokenFormat: 'jwt',
      authorizedGrantTypes: ['client_credentials'],
    });
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('publishes an RSA key and signs RS256 access tokens', async () => {
    const set = (await ctx.app.http().get('/auth/v3/jwks')).body;
    expect(set.keys).toHaveLength(1);
    expect(set.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(set.keys[0]).not.toHaveProperty('d');
    const token = (
      await ctx.app
        .http()
        .post('/auth/v3/oauth/token')
        .auth('rsa-client', 'rsa-secret')
        .type('form')
        .send({ grant_type: 'client_credentials' })
    ).body.access_token as string;
    expect(decodeProtectedHeader(token).alg).toBe('RS256');
    await expect(jwtVerify(token, createLocalJWKSet(set), { issuer: ISSUER })).resolves.toBeDefined();
  });
});

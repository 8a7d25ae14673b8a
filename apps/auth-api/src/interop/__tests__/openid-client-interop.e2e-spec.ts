import { createRemoteJWKSet, jwtVerify } from 'jose';
import { AuthApiTestContext, createClient, startAuthApi } from '../../testing/auth-api-test-app';

// openid-client 6 (a certified OpenID relying-party library) against the running service.
type OpenIdClient = typeof import('openid-client');

const PUBLIC_BASE = 'http://localhost:8080';
const ISSUER = `${PUBLIC_BASE}/auth/v3`;

describe('interop: openid-client against auth-api', () => {
  let ctx: AuthApiTestContext;
  let oidc: OpenIdClient;
  let config: import('openid-client').Configuration;
  let jwtConfig: import('openid-client').Configuration;

  /** The issuer is the public URL; requests go to the test listener. */
  const rewrite = (url: string) => url.replace(PUBLIC_BASE, ctx.app.service.url);

  beforeAll(async () => {
    ctx = await startAuthApi();
    oidc = await import('openid-client');
    await createClient(ctx.app, {
      client_id: 'interop',
      client_secret: 'interop-secret-value',
      internalClient: true,
      authorizedGrantTypes: ['client_credentials', 'password', 'refresh_token'],
    });
    await createClient(ctx.app, {
      client_id: 'interop-jwt',
      client_secret: 'interop-jwt-secret',
      tokenFormat: 'jwt',
      authorizedGrantTypes: ['client_credentials'],
    });
    const options = {
      execute: [oidc.allowInsecureRequests],
      [oidc.customFetch]: (url: string, init: RequestInit) => fetch(rewrite(url), init),
    };
    config = await oidc.discovery(new URL(ISSUER), 'interop', 'interop-secret-value', undefined, options as never);
    jwtConfig = await oidc.discovery(new URL(ISSUER), 'interop-jwt', 'interop-jwt-secret', undefined, options as never);
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('discovers the issuer metadata', () => {
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(ISSUER);
    expect(metadata.token_endpoint).toBe(`${ISSUER}/oauth/token`);
    expect(metadata.jwks_uri).toBe(`${ISSUER}/jwks`);
  });

  it('client_credentials', async () => {
    const tokens = await oidc.clientCredentialsGrant(config);
    expect(tokens.token_type).toBe('bearer');
    expect(typeof tokens.access_token).toBe('string');
    expect(tokens.expiresIn()).toBeGreaterThan(43000);
  });

  it('password (generic grant) with openid: id_token checked, then refresh and userinfo', async () => {
    const tokens = await oidc.genericGrantRequest(config, 'password', {
      username: 'ops',
      password: 'ops',
      scope: 'openid',
    });
    expect(tokens.id_token).toBeDefined();
    const claims = tokens.claims()!;
    expect(claims.sub).toBe('ops');
    expect(claims.iss).toBe(ISSUER);
    expect(claims.aud).toBe('interop');
    // The library checks the id_token claims; its signature is checked here with our JWKS.
    const jwks = createRemoteJWKSet(new URL(rewrite(config.serverMetadata().jwks_uri!)));
    await expect(jwtVerify(tokens.id_token!, jwks, { issuer: ISSUER, audience: 'interop' })).resolves.toBeDefined();

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

    const userinfo = await oidc.fetchUserInfo(config, refreshed.access_token, 'ops');
    expect(userinfo.sub).toBe('ops');
    expect(userinfo.user_name).toBe('ops');
  });

  it('introspection and revocation', async () => {
    const tokens = await oidc.clientCredentialsGrant(config);
    const active = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(active.active).toBe(true);
    expect(active.client_id).toBe('interop');
    await oidc.tokenRevocation(config, tokens.access_token);
    const inactive = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(inactive.active).toBe(false);
  });

  it('JWT access tokens verify with the published JWKS', async () => {
    const tokens = await oidc.clientCredentialsGrant(jwtConfig);
    const jwks = createRemoteJWKSet(new URL(rewrite(jwtConfig.serverMetadata().jwks_uri!)));
    const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: ISSUER, typ: 'at+jwt' });
    expect(payload.client_id).toBe('interop-jwt');
  });
});

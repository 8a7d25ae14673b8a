import { createRemoteJWKSet, jwtVerify } from 'jose';
import { BrowserStack, seedClient, seedTenant, seedUser, startBrowserStack } from './browser-stack';

// openid-client 6 (a certified OpenID relying-party library) completes authorization code + PKCE
// against the running stack (auth-api + auth-ui behind one origin) with a scripted browser sign-in.
type OpenIdClient = typeof import('openid-client');

const REDIRECT_URI = 'https://rp.example.com/oidc/callback';
const PASSWORD = 'Correct-Horse-42';

function inputValue(page: string, name: string): string {
  const value = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(page)?.[1];
  if (value === undefined) throw new Error(`no ${name} input`);
  return value;
}

describe('interop: openid-client authorization code + PKCE through the sign-in page', () => {
  let stack: BrowserStack;
  let oidc: OpenIdClient;
  let config: import('openid-client').Configuration;
  let issuer: string;

  beforeAll(async () => {
    stack = await startBrowserStack();
    oidc = await import('openid-client');
    issuer = `${stack.baseUrl}/auth/v3`;
    const contactCenterId = await seedTenant(stack.database, 't100');
    await seedUser(stack, contactCenterId, 'agent1', PASSWORD);
    await seedClient(stack, {
      client_id: 'oidc-rp',
      name: 'OIDC RP',
      clientType: 'PUBLIC',
      authorizedGrantTypes: ['authorization_code', 'refresh_token'],
      redirectURIs: [REDIRECT_URI],
    });
    config = await oidc.discovery(new URL(issuer), 'oidc-rp', undefined, oidc.None(), {
      execute: [oidc.allowInsecureRequests],
    });
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** What a user does in the browser: follow to the sign-in page, type tenant\user and password, submit. */
  async function scriptedSignIn(authorizationUrl: URL, username: string, password: string): Promise<string> {
    const browser = stack.http();
    const authorize = await browser.get(authorizationUrl.pathname + authorizationUrl.search);
    expect(authorize.status).toBe(302);
    const page = await browser.get(authorize.headers.location!);
    expect(page.status).toBe(200);
    const submit = await browser
      .post('/auth/v3/sign-in')
      .set('origin', stack.baseUrl)
      .type('form')
      .send({ request: inputValue(page.text, 'request'), csrf: inputValue(page.text, 'csrf'), username, password });
    expect(submit.status).toBe(302);
    return submit.headers.location!;
  }

  it('obtains tokens, validates the id_token (signature, issuer, audience, nonce) and reads userinfo', async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    expect(url.origin + url.pathname).toBe(`${issuer}/oauth/authorize`);
    const callback = await scriptedSignIn(url, 't100\\agent1', PASSWORD);
    expect(callback.startsWith(`${REDIRECT_URI}?`)).toBe(true);

    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    const claims = tokens.claims()!;
    expect(claims.iss).toBe(issuer);
    expect(claims.aud).toBe('oidc-rp');
    expect(claims.nonce).toBe(nonce);
    expect(claims.sub).toMatch(/\\agent1$/);

    // Independently of openid-client: the signature against the published JWKS.
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
    const verified = await jwtVerify(tokens.id_token!, jwks, { issuer, audience: 'oidc-rp' });
    expect(verified.payload.sub).toBe(claims.sub);
    expect(typeof verified.payload.auth_time).toBe('number');

    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(userinfo.sub).toBe(claims.sub);
  });

  it('a wrong PKCE verifier is refused by the token endpoint', async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const callback = await scriptedSignIn(url, 't100\\agent1', PASSWORD);
    await expect(
      oidc.authorizationCodeGrant(config, new URL(callback), {
        pkceCodeVerifier: oidc.randomPKCECodeVerifier(),
        expectedState: state,
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});

import { createHash, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, SampleRelyingParty } from '../browser/sample-rp';
import { SlapdServer } from '@cxauth/testing';
import {
  DirectoryStack,
  ldapDirectory,
  OPS,
  provision,
  seedLdap,
  startDirectoryStack,
} from '../directories/directory-stack';
import { startOidcIdp, TestOidcIdp } from './oidc-idp';
import { configureIdentityProvider, provisionTenants, startPublicRelyingParty } from './sso-fixture';

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'sso');
const IDP_CLIENT = { client_id: 'cxauth-sp', client_secret: 'idp-client-Secret-42' };

jest.setTimeout(90_000);
// A real browser on a shared CI machine: one retry, and the first failure is logged (never hidden).
jest.retryTimes(1, { logErrorsBeforeRetry: true });

/**
 * OpenID Connect single sign-on end to end: a real IdP (node-oidc-provider), cxauth as its relying
 * party, a sample application as cxauth's relying party, and Chromium going through all three.
 */
describe('OIDC single sign-on (oidc-provider IdP, Chromium)', () => {
  let stack: DirectoryStack;
  let idp: TestOidcIdp;
  let rp: SampleRelyingParty;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const contactCenters: Record<string, string> = {};
  const slapd = new SlapdServer();

  async function putIdp(tenant: string, data: Record<string, unknown>, oidc: Record<string, unknown> = {}) {
    await configureIdentityProvider(stack, contactCenters[tenant]!, {
      type: 'oidc',
      oidc: { issuer: idp.issuer, clientId: IDP_CLIENT.client_id, clientSecret: IDP_CLIENT.client_secret, ...oidc },
      ...data,
    });
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startDirectoryStack();
    idp = await startOidcIdp(
      [
        {
          ...IDP_CLIENT,
          redirect_uris: [`${stack.baseUrl}/auth/v3/sign-in/oidc/callback`],
          post_logout_redirect_uris: [`${stack.baseUrl}/auth/v3/sign-in/oidc/signed-out`],
        },
      ],
      {
        'ada.idp': {
          preferred_username: 'ada',
          given_name: 'Ada (IdP)',
          family_name: 'Lovelace',
          email: 'ada@idp.example',
        },
        'grace.idp': {
          preferred_username: 'grace',
          given_name: 'Grace',
          family_name: 'Hopper',
          email: 'grace@idp.example',
          groups: ['supervisors', 'unmapped', 'constructor'],
        },
        'mallory.idp': { preferred_username: 'mallory' },
        'lee.idp': { preferred_username: 'lagent' },
        'nameless.idp': {},
      },
    );
    const provisioned = await provisionTenants(stack, ['sso1', 'jit1', 'pw1'], ['sso1', 'pw1']);
    const { environmentId } = provisioned;
    Object.assign(contactCenters, provisioned.contactCenters);
    // An LDAP contact center (a real slapd): SSO identities are matched in its directory.
    await slapd.start();
    await seedLdap(slapd);
    contactCenters.ssoldap = randomUUID();
    await provision(stack, 'post', '/contact-centers', {
      id: contactCenters.ssoldap,
      environmentId,
      domains: ['ssoldap'],
      auth: 'ldap',
      directory: { ldap: ldapDirectory(slapd) },
    });
    await putIdp('ssoldap', {});
    await putIdp('sso1', {});
    await putIdp('jit1', {
      jitProvisioning: true,
      defaultAuthorities: ['ROLE_AGENT'],
      groupAuthorities: { supervisors: ['ROLE_SUPERVISOR'] },
    });
    rp = await startPublicRelyingParty(stack, 'sso-rp', (started) => ({
      name: 'Agent Desktop',
      redirectURIs: [started.redirectUri, `${started.url}/`],
    }));
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await rp?.close();
    await idp?.close();
    await stack?.close();
    await slapd.stop();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    page = await context.newPage();
  });

  afterEach(() => context.close());

  /** At the IdP (oidc-provider's development pages): sign in as `login`, then allow the consent. */
  async function signInAtIdp(login: string, at: Page = page): Promise<void> {
    await at.waitForURL(`${idp.issuer}/**`);
    await at.fill('input[name=login]', login);
    await at.fill('input[name=password]', 'any-password');
    await at.click('button[type=submit]');
    await at.waitForSelector('button[type=submit]');
    await at.click('button[type=submit]');
  }

  /** At the IdP's end-session page (oidc-provider's own): confirm the sign-out. */
  async function confirmIdpLogout(): Promise<void> {
    await page.waitForURL(`${idp.issuer}/session/end?**`);
    await page.click('button[name=logout][value=yes]');
  }

  /** Records the IdP's answers to cxauth's callback (the URLs the browser is sent to). */
  function recordCallbacks(): string[] {
    const seen: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/auth/v3/sign-in/oidc/callback')) seen.push(request.url());
    });
    return seen;
  }

  it('the application names the SSO tenant: straight to the IdP, back with a code, tokens and userinfo of the directory user', async () => {
    const callbacks = recordCallbacks();
    await page.goto(`${rp.url}/login?tenant=sso1`);
    await signInAtIdp('ada.idp');
    await page.waitForURL(`${rp.redirectUri}?**`);
    await page.waitForSelector('#userinfo');
    await page.screenshot({ path: join(ARTIFACTS, 'oidc-signed-in.png'), fullPage: true });
    // The user of the contact center's directory (names from cxauth, not the IdP's claims).
    expect(await page.textContent('#user-loginName')).toBe('ada');
    expect(await page.textContent('#user-firstName')).toBe('Ada');
    expect(await page.textContent('#id-token')).toBe('id_token received');
    expect(callbacks).toHaveLength(1);

    // The IdP's answer is single use: replayed in the same browser or in another one, it is refused.
    await page.goto(callbacks[0]!);
    await page.waitForURL(/\/ui\/auth\/error\.html\?error=sso_expired/);
    const replay = await stack.http().get(callbacks[0]!.slice(stack.baseUrl.length));
    expect(replay.status).toBe(302);
    expect(replay.headers.location).toBe('/ui/auth/error.html?error=sso_expired');

    // The session is the same as after a password sign-in: the next authorization needs no IdP.
    const toIdp: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(idp.issuer)) toIdp.push(request.url());
    });
    await page.goto(`${rp.url}/login?tenant=sso1`);
    await page.waitForURL(`${rp.redirectUri}?**`);
    expect(await page.textContent('#user-loginName')).toBe('ada');
    expect(toIdp).toEqual([]);

    // Sign-out ends the cxauth session and, through the IdP's end-session endpoint (RP-initiated
    // logout), the IdP's: the browser ends at the application, and the next sign-in asks at the IdP again.
    await page.click('#sign-out');
    await confirmIdpLogout();
    await page.waitForURL(`${rp.url}/`);
    await page.goto(`${rp.url}/login?tenant=sso1`);
    await signInAtIdp('ada.idp');
    await page.waitForURL(`${rp.redirectUri}?**`);
    expect(toIdp.length).toBeGreaterThan(0);
    expect(await page.textContent('#user-loginName')).toBe('ada');
  });

  it("RP-initiated logout: sign-out sends the browser to the IdP's end_session_endpoint with the id_token_hint (sealed in the session), and back to the signed-out page", async () => {
    await page.goto(`${rp.url}/login?tenant=sso1`);
    await signInAtIdp('ada.idp');
    await page.waitForURL(`${rp.redirectUri}?**`);
    // The session in Redis keeps the IdP's id_token sealed only.
    const cookie = (await context.cookies()).find((entry) => entry.name === 'cxauth_session')!;
    const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
    let stored: string;
    try {
      const [key] = await redis.keys(`*session:${createHash('sha256').update(cookie.value).digest('hex')}`);
      stored = (await redis.get(key!))!;
    } finally {
      redis.disconnect();
    }
    expect(JSON.parse(stored).oidc).toEqual({
      contactCenterId: contactCenters.sso1,
      sealedIdToken: expect.any(String),
    });

    const endSession: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(`${idp.issuer}/session/end?`)) endSession.push(request.url());
    });
    await page.goto(`${stack.baseUrl}/auth/v3/sign-out`);
    await confirmIdpLogout();
    await page.waitForURL(`${stack.baseUrl}/ui/auth/signed-out.html`);
    await page.screenshot({ path: join(ARTIFACTS, 'oidc-signed-out.png'), fullPage: true });
    expect(endSession).toHaveLength(1);
    const parameters = new URL(endSession[0]!).searchParams;
    expect(parameters.get('client_id')).toBe(IDP_CLIENT.client_id);
    expect(parameters.get('post_logout_redirect_uri')).toBe(`${stack.baseUrl}/auth/v3/sign-in/oidc/signed-out`);
    const state = parameters.get('state')!;
    expect(state.length).toBeGreaterThanOrEqual(32);
    const hint = parameters.get('id_token_hint')!;
    const claims = JSON.parse(Buffer.from(hint.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ iss: idp.issuer, aud: IDP_CLIENT.client_id, sub: 'ada.idp' });
    // Not in clear in Redis.
    expect(stored).not.toContain(hint.split('.')[1]!);
    // The return is single use.
    const again = await stack.http().get(`/auth/v3/sign-in/oidc/signed-out?state=${encodeURIComponent(state)}`);
    expect(again.headers.location).toBe('/ui/auth/error.html?error=sso_expired');
    // Both sessions are gone: cxauth sends the browser to the IdP, which asks for the sign-in again.
    await page.goto(`${rp.url}/login?tenant=sso1`);
    await signInAtIdp('ada.idp');
    await page.waitForURL(`${rp.redirectUri}?**`);
    expect(await page.textContent('#user-loginName')).toBe('ada');
  });

  it('when the IdP cannot be asked at sign-out (its discovery fails now), the sign-out stays local', async () => {
    await page.goto(`${rp.url}/login?tenant=sso1`);
    await signInAtIdp('ada.idp');
    await page.waitForURL(`${rp.redirectUri}?**`);
    await putIdp('sso1', {}, { issuer: 'http://127.0.0.1:9/nothing-listens' });
    try {
      await page.goto(`${stack.baseUrl}/auth/v3/sign-out`);
      await page.waitForURL(`${stack.baseUrl}/ui/auth/signed-out.html`);
      expect((await page.context().request.get(`${stack.baseUrl}/auth/v3/ping`)).status()).toBe(403);
    } finally {
      await putIdp('sso1', {});
    }
  });

  it('a user who types tenant\\user on the sign-in page (no password) is sent on to the IdP', async () => {
    await page.goto(rp.url);
    await page.click('#sign-in');
    await page.waitForURL(/\/ui\/auth\/sign-in\.html\?request=/);
    await page.fill('#username', 'sso1\\ada');
    // The password stays empty: the form has no browser validation, and SSO tenants need none.
    await page.click('button[type=submit]');
    await signInAtIdp('ada.idp');
    await page.waitForURL(`${rp.redirectUri}?**`);
    expect(await page.textContent('#user-loginName')).toBe('ada');
  });

  it('"Continue with single sign-on" on the sign-in page: an SSO tenant goes to its IdP; another tenant is told, without a password check', async () => {
    await page.goto(rp.url);
    await page.click('#sign-in');
    await page.waitForURL(/\/ui\/auth\/sign-in\.html\?request=/);
    // A tenant without an identity provider: back to the page, the name kept, the reason shown.
    await page.fill('#username', 'pw1\\ada');
    await page.click('#sso');
    await page.waitForURL(/\/ui\/auth\/sign-in\.html\?request=.*&error=sso_unknown_idp$/);
    expect(await page.textContent('[role=alert]')).toContain('Single sign-on is not set up for your contact center');
    expect(await page.inputValue('#username')).toBe('pw1\\ada');
    const audit = await stack
      .http()
      .get('/auth/v3/ops/audit-events')
      .query({ type: 'sign_in', user: 'pw1\\ada' })
      .auth(OPS.username, OPS.password);
    expect(audit.body.data.events).toEqual([]);
    // An SSO tenant: on to its IdP, back signed in.
    await page.fill('#username', 'sso1\\ada');
    await page.click('#sso');
    await signInAtIdp('ada.idp');
    await page.waitForURL(`${rp.redirectUri}?**`);
    expect(await page.textContent('#user-loginName')).toBe('ada');
  });

  it('the application named a password tenant: the sign-in page offers no single sign-on', async () => {
    await page.goto(`${rp.url}/login?tenant=pw1`);
    await page.waitForURL(/\/ui\/auth\/sign-in\.html\?request=/);
    expect(await page.isVisible('#password')).toBe(true);
    expect(await page.locator('#sso').count()).toBe(0);
  });

  it("an LDAP contact center: the IdP's user name is matched in the directory, with the directory's attributes", async () => {
    await page.goto(`${rp.url}/login?tenant=ssoldap`);
    await signInAtIdp('lee.idp');
    await page.waitForURL(`${rp.redirectUri}?**`);
    expect(await page.textContent('#user-loginName')).toBe('lagent');
    expect(await page.textContent('#user-email')).toBe('lee.agent@example.com');
    expect(await page.textContent('#user-employeeId')).toBe('L-7');
  });

  it('just-in-time provisioning creates a local user from the claims, once', async () => {
    for (let round = 0; round < 2; round++) {
      await context.clearCookies();
      await page.goto(`${rp.url}/login?tenant=jit1`);
      await signInAtIdp('grace.idp');
      await page.waitForURL(`${rp.redirectUri}?**`);
      expect(await page.textContent('#user-loginName')).toBe('grace');
      expect(await page.textContent('#user-firstName')).toBe('Grace');
      expect(await page.textContent('#user-email')).toBe('grace@idp.example');
    }
    const rows = await stack.database.query<{ username: string; last_name: string; authorities: string[] }>(
      'SELECT username, last_name, authorities FROM local_user WHERE contact_center_id = $1',
      [contactCenters.jit1],
    );
    expect(rows).toEqual([{ username: 'grace', last_name: 'Hopper', authorities: ['ROLE_AGENT', 'ROLE_SUPERVISOR'] }]);
  });

  it.each([
    ['a user the directory does not know (no JIT)', 'mallory.idp', 'sso_unknown_user', 'no user for you'],
    ['an identity without the user-name claim', 'nameless.idp', 'sso_unknown_user', 'no user for you'],
  ])('refuses %s with a clear error page', async (_name, login, error, text) => {
    await page.goto(`${rp.url}/login?tenant=sso1`);
    await signInAtIdp(login);
    await page.waitForURL(new RegExp(`/ui/auth/error\\.html\\?error=${error}$`));
    expect(await page.textContent('body')).toContain(text);
    expect(
      await stack.database.query('SELECT 1 FROM local_user WHERE contact_center_id = $1 AND username_lower = $2', [
        contactCenters.sso1,
        'mallory',
      ]),
    ).toEqual([]);
  });

  it("refuses the IdP's answer in another browser than the one that was sent (login CSRF)", async () => {
    // Browser A starts a sign-in; its authorization request to the IdP is carried to browser B.
    const authorizationRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(`${idp.issuer}/auth?`)) authorizationRequests.push(request.url());
    });
    await page.goto(`${rp.url}/login?tenant=sso1`);
    await page.waitForURL(`${idp.issuer}/**`);
    expect(authorizationRequests).toHaveLength(1);
    const other = await browser.newContext();
    try {
      const otherPage = await other.newPage();
      await otherPage.goto(authorizationRequests[0]!);
      await signInAtIdp('ada.idp', otherPage);
      await otherPage.waitForURL(/\/ui\/auth\/error\.html\?error=sso_unsolicited$/);
      expect(await otherPage.textContent('body')).toContain('not expected by this browser');
    } finally {
      await other.close();
    }
  });

  it('a wrong client secret at the IdP: the code exchange fails and the browser gets sso_invalid_response', async () => {
    await putIdp('sso1', {}, { clientSecret: 'wrong-secret-0000' });
    try {
      await page.goto(`${rp.url}/login?tenant=sso1`);
      await signInAtIdp('ada.idp');
      await page.waitForURL(/\/ui\/auth\/error\.html\?error=sso_invalid_response$/);
      expect(await page.textContent('body')).toContain('could not be verified');
    } finally {
      await putIdp('sso1', {});
    }
  });

  describe('without a browser', () => {
    it("the product's form (saml=true, no password) for an SSO tenant continues at the IdP", async () => {
      const agent = stack.http();
      const started = await agent.get('/auth/v3/sign-in');
      const reference = new URL(started.headers.location!, stack.baseUrl).searchParams.get('request')!;
      const context = await agent.get(`/auth/v3/sign-in/context?request=${reference}`);
      const form = await agent
        .post('/auth/v3/sign-in')
        .type('form')
        .send({ username: 'sso1\\ada', saml: 'true', request: reference, csrf: context.body.data.csrfToken });
      expect(form.status).toBe(200);
      expect(form.headers['content-type']).toContain('text/html');
      const target = /content="0;url=([^"]+)"/.exec(form.text)![1]!.replace(/&#38;/g, '&');
      const url = new URL(target);
      expect(`${url.origin}${url.pathname}`).toBe(`${idp.issuer}/auth`);
      expect(url.searchParams.get('client_id')).toBe(IDP_CLIENT.client_id);
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      expect(url.searchParams.get('login_hint')).toBe('ada');
      expect(url.searchParams.get('redirect_uri')).toBe(`${stack.baseUrl}/auth/v3/sign-in/oidc/callback`);
      // A wrong CSRF token never reaches the IdP.
      const forged = await agent
        .post('/auth/v3/sign-in')
        .type('form')
        .send({ username: 'sso1\\ada', saml: 'true', request: reference, csrf: 'x'.repeat(43) });
      expect(forged.headers.location).toBe('/ui/auth/error.html?error=csrf');
    });

    it('a callback without state is unsolicited; an unknown state has expired', async () => {
      const none = await stack.http().get('/auth/v3/sign-in/oidc/callback?code=abc');
      expect(none.status).toBe(302);
      expect(none.headers.location).toBe('/ui/auth/error.html?error=sso_unsolicited');
      const unknown = await stack.http().get('/auth/v3/sign-in/oidc/callback?code=abc&state=forged');
      expect(unknown.headers.location).toBe('/ui/auth/error.html?error=sso_expired');
    });

    it("the IdP's return after logout: without state unsolicited, with an unknown one expired", async () => {
      const none = await stack.http().get('/auth/v3/sign-in/oidc/signed-out');
      expect(none.status).toBe(302);
      expect(none.headers.location).toBe('/ui/auth/error.html?error=sso_unsolicited');
      const unknown = await stack.http().get('/auth/v3/sign-in/oidc/signed-out?state=forged');
      expect(unknown.headers.location).toBe('/ui/auth/error.html?error=sso_expired');
    });

    it('an unreachable IdP gives the outage page (503), and auth-scheme answers the real scheme', async () => {
      const scheme = async (userName: string) =>
        (await stack.http().post('/auth/v3/auth-scheme').send({ data: { userName } })).body.data;
      expect(await scheme('sso1\\ada')).toEqual({ scheme: 'saml', protocol: 'oidc' });
      expect(await scheme('pw1\\ada')).toEqual({ scheme: 'basic' });

      await putIdp('pw1', {}, { issuer: 'http://127.0.0.1:9/nothing-listens' });
      const agent = stack.http();
      const authorize = await agent.get(
        `/auth/v3/oauth/authorize?response_type=code&client_id=sso-rp&redirect_uri=${encodeURIComponent(rp.redirectUri)}&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256&tenant=pw1`,
      );
      expect(authorize.headers.location).toMatch(/^\/auth\/v3\/sign-in\/sso\?request=/);
      const start = await agent.get(authorize.headers.location!);
      expect(start.headers.location).toBe('/ui/auth/error.html?error=sso_idp_unavailable');
      const errorPage = await agent.get(start.headers.location!).set('accept', 'text/html');
      expect(errorPage.status).toBe(503);

      // Switched off: the tenant signs in with passwords again, at once (no restart).
      await putIdp('pw1', { enabled: false }, { issuer: 'http://127.0.0.1:9/nothing-listens' });
      expect(await scheme('pw1\\ada')).toEqual({ scheme: 'basic' });
      const again = await agent.get(
        `/auth/v3/oauth/authorize?response_type=code&client_id=sso-rp&redirect_uri=${encodeURIComponent(rp.redirectUri)}&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256&tenant=pw1`,
      );
      expect(again.headers.location).toMatch(/^\/ui\/auth\/sign-in\.html\?request=/);
    });
  });
});

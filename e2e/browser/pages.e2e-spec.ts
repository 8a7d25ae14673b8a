import { createHash } from 'node:crypto';
import supertest from 'supertest';
import { ASSETS } from '@cxauth/auth-ui';
import { BrowserStack, seedClient, seedTenant, seedUser, startBrowserStack } from './browser-stack';

const CALLBACK = 'https://wwe.example.com/callback';
const PASSWORD = 'Correct-Horse-42';

/** The value of a hidden/text input in rendered HTML. */
function inputValue(page: string, name: string): string | undefined {
  const match = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(page);
  return match?.[1];
}

describe('auth-ui pages behind the ingress (server-rendered, CSP, i18n, accessibility)', () => {
  let stack: BrowserStack;
  let contactCenterId: string;

  beforeAll(async () => {
    stack = await startBrowserStack();
    contactCenterId = await seedTenant(stack.database, 't100');
    await stack.database.query(
      `INSERT INTO contact_center_setting (contact_center_id, name, location, shared, value) VALUES ($1, 'display-name', '/', true, 'Acme <Support>')`,
      [contactCenterId],
    );
    await seedUser(stack, contactCenterId, 'agent1', PASSWORD);
    await seedUser(stack, contactCenterId, 'agent2', PASSWORD);
    await seedClient(stack, {
      client_id: 'wwe',
      name: 'Workspace <Web> Edition',
      clientType: 'CONFIDENTIAL',
      client_secret: 'wwe-secret',
      // Like the product's applications: no PKCE.
      requirePkce: false,
      authorizedGrantTypes: ['authorization_code', 'password'],
      redirectURIs: [CALLBACK],
    });
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** Contact-center settings as environment-api stores them (POST /contact-centers/{id}/settings). */
  async function seedBranding(settings: Record<string, string>) {
    for (const [name, value] of Object.entries(settings)) {
      await stack.database.query(
        `INSERT INTO contact_center_setting (contact_center_id, name, location, shared, value) VALUES ($1, $2, '/', true, $3)
         ON CONFLICT (contact_center_id, name, location) DO UPDATE SET value = EXCLUDED.value`,
        [contactCenterId, name, value],
      );
    }
  }

  /** authorize through the ingress; returns the agent (with its cookies) and the sign-in page path. */
  async function openSignIn(params: Record<string, string> = {}, headers: Record<string, string> = {}) {
    const agent = stack.http();
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'wwe',
      redirect_uri: CALLBACK,
      state: 's',
      ...params,
    });
    const authorize = await agent.get(`/auth/v3/oauth/authorize?${query.toString()}`);
    expect(authorize.status).toBe(302);
    const path = authorize.headers.location as string;
    let request = agent.get(path);
    for (const [name, value] of Object.entries(headers)) request = request.set(name, value);
    const page = await request;
    return { agent, path, page, html: page.text };
  }

  it('renders the sign-in page with a strict CSP, no inline script or style, and the CSRF token', async () => {
    const { agent, page, html, path } = await openSignIn();
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-store');
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self' https://wwe.example.com");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers['x-frame-options']).toBe('DENY');
    // Every script is external; no inline event handlers or style attributes.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).toContain('<form method="post" action="/auth/v3/sign-in"');
    const reference = new URL(path, stack.baseUrl).searchParams.get('request');
    expect(inputValue(html, 'request')).toBe(reference);
    // auth-ui passed the browser's flow cookie on: auth-api gives the token only to that browser.
    const context = await agent.get(`/auth/v3/sign-in/context?request=${reference}`);
    expect(inputValue(html, 'csrf')).toBe(context.body.data.csrfToken);
    const foreign = await stack.http().get(`/auth/v3/sign-in/context?request=${reference}`);
    expect(foreign.status).toBe(403);
    expect(foreign.text).not.toContain(context.body.data.csrfToken);
    // Escaped client name; labelled inputs.
    expect(html).toContain('to continue to Workspace &lt;Web&gt; Edition');
    for (const id of ['tenant', 'username', 'password']) {
      expect(html).toContain(`<label for="${id}">`);
      expect(html).toMatch(new RegExp(`<input[^>]*id="${id}"`));
    }
    expect(html).toContain('autocomplete="current-password"');
    expect(html).toMatch(/<html lang="en">/);
  });

  it('serves the stylesheet and script under content-hashed names that match their integrity', async () => {
    const { html } = await openSignIn();
    for (const asset of [ASSETS.css, ASSETS.js]) {
      expect(html).toContain(`/ui/auth/assets/${asset.name}" integrity="${asset.integrity}"`);
      const response = await stack.http().get(`/ui/auth/assets/${asset.name}`);
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(`sha256-${createHash('sha256').update(response.text).digest('base64')}`).toBe(asset.integrity);
    }
    expect((await stack.http().get('/ui/auth/assets/app.000000000000.css')).status).toBe(404);
  });

  it('is localized: locale parameter, the pending request, then Accept-Language', async () => {
    const german = await openSignIn({ locale: 'de' });
    expect(german.html).toMatch(/<html lang="de">/);
    expect(german.html).toContain('Benutzername');
    expect(german.page.headers['content-language']).toBe('de');
    const french = await openSignIn({}, { 'accept-language': 'it-IT, fr-CH;q=0.9, en;q=0.5' });
    expect(french.html).toContain('Mot de passe');
    const spanish = await french.agent.get(`${french.path}&locale=es`);
    expect(spanish.text).toContain('Contraseña');
    const fallback = await openSignIn({}, { 'accept-language': 'ja, zz;q=0.1' });
    expect(fallback.html).toMatch(/<html lang="en">/);
  });

  it('asks for the tenant only when it is unknown; tenant\\user is accepted either way', async () => {
    // Unknown tenant: a Tenant field (focused first), and the user name hint offers tenant\\user.
    const shown = await openSignIn();
    expect(shown.html).toMatch(/<input type="text" id="tenant" name="tenant" value=""[^>]* autofocus>/);
    expect(shown.html).toContain('Or type tenant\\user here, for example t100\\agent1.');
    expect(shown.html).toContain('<div class="brand-name">Contact Center</div>');
    // hideTenant: no tenant field; the user types tenant\\user.
    const hidden = await openSignIn({ hideTenant: 'true' });
    expect(hidden.html).not.toContain('name="tenant"');
    expect(hidden.html).toContain('Type it as tenant\\user, for example t100\\agent1.');
    expect(hidden.html).toMatch(/id="username"[^>]* autofocus>/);
    // Known tenant (login_hint tenant\\user fills both): no field, the tenant in the brand block.
    const known = await openSignIn({ login_hint: 't100\\agent1' });
    expect(known.html).not.toContain('id="tenant"');
    expect(known.html).toContain('<input type="hidden" name="tenant" value="t100">');
    expect(known.html).toContain('value="agent1"');
    expect(known.html).toMatch(/id="password"[^>]* autofocus>/);
    expect(known.html).toContain('<div class="brand-sub">t100</div>');
    // The contact center's display-name setting brands the page (escaped).
    expect(known.html).toContain('<div class="brand-name">Acme &lt;Support&gt;</div>');
    expect(known.html).toContain('<title>Sign in · Acme &lt;Support&gt;</title>');
    const signedIn = await known.agent
      .post('/auth/v3/sign-in')
      .type('form')
      .send({
        request: inputValue(known.html, 'request'),
        csrf: inputValue(known.html, 'csrf'),
        tenant: 't100',
        username: 'agent1',
        password: PASSWORD,
      });
    expect(signedIn.headers.location!).toMatch(/^https:\/\/wwe\.example\.com\/callback\?code=/);
  });

  it('brands the page with the contact center logo and colour, allowed by exact CSP sources', async () => {
    await seedBranding({ logo: 'https://cdn.example.com/acme.png', 'brand-color': '#FFD400' });
    const { page, html } = await openSignIn({ tenant: 't100' });
    expect(html).toContain('<img class="brand-logo" src="https://cdn.example.com/acme.png" alt="">');
    const style = /<style>([^<]*)<\/style>/.exec(html)?.[1];
    expect(style).toContain('--brand:#ffd400');
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain(`style-src 'self' 'sha256-${createHash('sha256').update(style!).digest('base64')}';`);
    expect(csp).toContain("img-src 'self' data: https://cdn.example.com;");
    expect(csp).not.toContain('unsafe-inline');
    // A malformed setting is ignored rather than breaking the page.
    await seedBranding({ logo: 'javascript:alert(1)', 'brand-color': 'red; }' });
    const plain = await openSignIn({ tenant: 't100' });
    expect(plain.html).not.toContain('<style>');
    expect(plain.html).not.toContain('javascript:');
    expect(plain.html).toContain('<div class="brand-mark" aria-hidden="true">A</div>');
    await stack.database.query(`DELETE FROM contact_center_setting WHERE name IN ('logo', 'brand-color')`);
  });

  it('signs in through the HTML form and lands on the redirect_uri with a code', async () => {
    const { agent, html } = await openSignIn({ state: 'abc' });
    const response = await agent
      .post('/auth/v3/sign-in')
      .set('origin', stack.baseUrl)
      .type('form')
      .send({
        request: inputValue(html, 'request'),
        csrf: inputValue(html, 'csrf'),
        tenant: 't100',
        username: 'agent1',
        password: PASSWORD,
      });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.location!);
    expect(location.origin + location.pathname).toBe(CALLBACK);
    expect(location.searchParams.get('state')).toBe('abc');
    expect(location.searchParams.get('code')).toBeTruthy();
  });

  it('shows a wrong password as an accessible error, keeps the user name (escaped), never the password', async () => {
    const { agent, html } = await openSignIn();
    const failed = await agent
      .post('/auth/v3/sign-in')
      .type('form')
      .send({
        request: inputValue(html, 'request'),
        csrf: inputValue(html, 'csrf'),
        username: 't100\\<b>agent1',
        password: 'wrong-password',
      });
    expect(failed.headers.location!).toMatch(/error=invalid_credentials$/);
    const page = await agent.get(failed.headers.location!);
    expect(page.text).toContain('role="alert"');
    expect(page.text).toContain('The user name or password is incorrect.');
    expect(page.text).toContain('aria-invalid="true"');
    expect(page.text).toContain('value="t100\\&lt;b&gt;agent1"');
    expect(page.text).not.toContain('wrong-password');
  });

  it('never reflects unknown error codes or markup from the URL', async () => {
    const page = await stack.http().get('/ui/auth/error.html?error=%3Cscript%3Ealert(1)%3C/script%3E');
    expect(page.status).toBe(200);
    expect(page.text).toContain('The request could not be completed.');
    expect(page.text).not.toContain('<script>alert');
    const known = await stack.http().get('/ui/auth/error.html?error=invalid_redirect_uri&locale=fr');
    expect(known.text).toContain('adresse de retour non enregistrée');
  });

  it('an unknown or malformed request reference shows the expired page (400)', async () => {
    const unknown = await stack.http().get(`/ui/auth/sign-in.html?request=${'A'.repeat(43)}`);
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('This sign-in page has expired');
    const malformed = await stack.http().get('/ui/auth/sign-in.html?request=%22%3E%3Cx');
    expect(malformed.status).toBe(400);
    expect(malformed.text).toContain('The sign-in request is incomplete or malformed.');
  });

  it('without a reference, starts a sign-in through auth-api; also at the old path /auth/sign-in.html', async () => {
    for (const path of ['/ui/auth/sign-in.html?locale=es', '/auth/sign-in.html?locale=es']) {
      const agent = stack.http();
      const first = await agent.get(path);
      expect(first.status).toBe(302);
      expect(first.headers.location!).toBe('/auth/v3/sign-in?next=sign-in&locale=es');
      const second = await agent.get(first.headers.location!);
      expect(second.headers.location!).toMatch(/^\/ui\/auth\/sign-in\.html\?request=/);
      const page = await agent.get(second.headers.location!);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Iniciar sesión');
      expect(page.headers['content-security-policy']).toContain("form-action 'self';");
    }
    const withRequest = await openSignIn();
    const old = await withRequest.agent.get(withRequest.path.replace('/ui/auth/', '/auth/'));
    expect(old.status).toBe(200);
    expect(old.text).toContain('action="/auth/v3/sign-in"');
  });

  it('changes a password through change-password.html, ends sessions, and the new password signs in', async () => {
    // agent2 is signed in elsewhere; the change ends that session.
    const other = await openSignIn();
    await other.agent
      .post('/auth/v3/sign-in')
      .type('form')
      .send({
        request: inputValue(other.html, 'request'),
        csrf: inputValue(other.html, 'csrf'),
        username: 't100\\agent2',
        password: PASSWORD,
      });
    expect((await other.agent.get('/auth/v3/ping')).status).toBe(200);

    const agent = stack.http();
    const start = await agent.get('/ui/auth/change-password.html');
    expect(start.headers.location!).toBe('/auth/v3/sign-in?next=change-password');
    const flow = await agent.get(start.headers.location!);
    expect(flow.headers.location!).toMatch(/^\/ui\/auth\/change-password\.html\?request=/);
    const page = await agent.get(flow.headers.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain('action="/auth/v3/sign-in/change-password"');
    expect(page.text).toContain('autocomplete="new-password"');
    const form = {
      request: inputValue(page.text, 'request'),
      csrf: inputValue(page.text, 'csrf'),
      username: 't100\\agent2',
    };

    const mismatch = await agent
      .post('/auth/v3/sign-in/change-password')
      .type('form')
      .send({ ...form, oldPassword: PASSWORD, newPassword: 'Brand-New-Pass-7', confirmPassword: 'other' });
    expect(mismatch.headers.location!).toMatch(/error=password_mismatch$/);
    const weak = await agent
      .post('/auth/v3/sign-in/change-password')
      .type('form')
      .send({ ...form, oldPassword: PASSWORD, newPassword: 'password', confirmPassword: 'password' });
    expect(weak.headers.location!).toMatch(/error=password_policy$/);
    // What was typed comes back (never a password), with the rules that failed.
    const weakPage = await agent.get(weak.headers.location!);
    expect(weakPage.text).toContain('The new password does not meet these rules:');
    expect(weakPage.text).toContain('<ul class="rules"><li>not a commonly used password</li></ul>');
    expect(weakPage.text).toContain('value="t100\\agent2"');
    expect(weakPage.text).not.toMatch(/value="(password|Correct-Horse-42)"/);
    const short = await agent
      .post('/auth/v3/sign-in/change-password')
      .type('form')
      .send({
        ...form,
        username: 'agent2',
        tenant: 't100',
        oldPassword: PASSWORD,
        newPassword: 'agent2',
        confirmPassword: 'agent2',
      });
    const shortPage = await agent.get(short.headers.location!).set('accept-language', 'de');
    expect(shortPage.text).toContain('<li>mindestens 8 Zeichen</li><li>nicht Ihr Benutzername</li>');
    // A typed tenant stays editable (only one the application named is not asked for).
    expect(shortPage.text).toContain('<input type="text" id="tenant" name="tenant" value="t100"');
    const wrongOld = await agent
      .post('/auth/v3/sign-in/change-password')
      .type('form')
      .send({
        ...form,
        oldPassword: 'nope-nope',
        newPassword: 'Brand-New-Pass-7',
        confirmPassword: 'Brand-New-Pass-7',
      });
    expect(wrongOld.headers.location!).toMatch(/error=invalid_credentials$/);
    const errorPage = await agent.get(wrongOld.headers.location!);
    expect(errorPage.text).toContain('role="alert"');
    const csrf = await stack
      .http()
      .post('/auth/v3/sign-in/change-password')
      .type('form')
      .send({ ...form, oldPassword: PASSWORD, newPassword: 'Brand-New-Pass-7', confirmPassword: 'Brand-New-Pass-7' });
    expect(csrf.headers.location!).toBe('/ui/auth/error.html?error=csrf');

    const changed = await agent
      .post('/auth/v3/sign-in/change-password')
      .type('form')
      .send({ ...form, oldPassword: PASSWORD, newPassword: 'Brand-New-Pass-7', confirmPassword: 'Brand-New-Pass-7' });
    expect(changed.headers.location!).toBe('/ui/auth/change-password.html?status=changed');
    const done = await agent.get(changed.headers.location!);
    expect(done.text).toContain('Your password has been changed.');

    const token = (password: string) =>
      supertest(stack.baseUrl)
        .post('/auth/v3/oauth/token')
        .auth('wwe', 'wwe-secret')
        .type('form')
        .send({ grant_type: 'password', username: 't100\\agent2', password });
    expect((await token(PASSWORD)).status).toBe(400);
    expect((await token('Brand-New-Pass-7')).status).toBe(200);
    expect((await other.agent.get('/auth/v3/ping')).status).toBe(403);
  });

  it('signed-in.html says who is signed in only when this browser has a session', async () => {
    const agent = stack.http();
    const start = await agent.get('/ui/auth/signed-in.html');
    expect(start.headers.location!).toBe('/auth/v3/sign-in?next=signed-in');
    const none = await agent.get(start.headers.location!);
    expect(none.headers.location!).toBe('/ui/auth/signed-in.html?session=none');
    const notSignedIn = await agent.get(none.headers.location!);
    expect(notSignedIn.text).toContain('This browser is not signed in.');
    expect(notSignedIn.text).not.toContain('You are signed in');

    const signIn = await agent.get('/ui/auth/sign-in.html');
    const flow = await agent.get(signIn.headers.location!);
    const page = await agent.get(flow.headers.location!);
    const done = await agent
      .post('/auth/v3/sign-in')
      .type('form')
      .send({
        request: inputValue(page.text, 'request'),
        csrf: inputValue(page.text, 'csrf'),
        username: 't100\\agent1',
        password: PASSWORD,
      });
    const signedIn = await agent.get(done.headers.location!);
    expect(signedIn.text).toContain('You are signed in as Ada Lovelace (agent1).');
    expect(signedIn.text).toContain('<a href="/auth/v3/sign-out">Sign out</a>');
    // A stale or foreign reference asks auth-api again instead of trusting the URL.
    const stale = await stack.http().get(`/ui/auth/signed-in.html?request=${'A'.repeat(43)}`);
    expect(stale.headers.location!).toBe('/auth/v3/sign-in?next=signed-in');
  });

  it('serves signed-out, the favicon and version.json', async () => {
    const signedOut = await stack.http().get('/ui/auth/signed-out.html').set('accept-language', 'de');
    expect(signedOut.status).toBe(200);
    expect(signedOut.text).toContain('Sie wurden abgemeldet.');
    expect((await stack.http().get(`/ui/auth/assets/${ASSETS.icon.name}`)).headers['content-type']).toBe(
      'image/svg+xml',
    );
    const version = await stack.http().get('/ui/auth/version.json');
    expect(version.body).toEqual({ version: expect.any(String) });
  });
});

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BrowserStack, seedClient, seedTenant, seedUser, startBrowserStack } from './browser-stack';
import { launchChromium, SampleRelyingParty, startSampleRelyingParty } from './sample-rp';

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'browser');
const PASSWORD = 'Correct-Horse-42';

jest.setTimeout(60_000);
// A real browser on a shared CI machine: one retry, and the first failure is logged (never hidden).
jest.retryTimes(1, { logErrorsBeforeRetry: true });

/** An attribute of the focused element (evaluated in the page; no DOM types in this Node project). */
function focused(target: Page, attribute = 'id'): Promise<string | null> {
  return target.evaluate<string | null>(
    `document.activeElement && document.activeElement.getAttribute(${JSON.stringify(attribute)})`,
  );
}

describe('browser sign-in in Chromium (relying party → sign-in → code + PKCE → user info)', () => {
  let stack: BrowserStack;
  let rp: SampleRelyingParty;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  const shot = async (name: string, target: Page = page) => {
    await target.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startBrowserStack();
    const contactCenterId = await seedTenant(stack.database, 't100');
    await seedUser(stack, contactCenterId, 'agent1', PASSWORD);
    await seedUser(stack, contactCenterId, 'agent2', PASSWORD);
    rp = await startSampleRelyingParty(stack.baseUrl, 'sample-rp');
    await seedClient(stack, {
      client_id: 'sample-rp',
      name: 'Sample Agent Desktop',
      clientType: 'PUBLIC',
      authorizedGrantTypes: ['authorization_code'],
      redirectURIs: [rp.redirectUri, `${rp.url}/`],
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await rp?.close();
    await stack?.close();
  });

  beforeEach(async () => {
    consoleErrors.length = 0;
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    page = await context.newPage();
    // A CSP violation or script error shows up here.
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400 && !response.url().includes('error='))
        consoleErrors.push(`${response.status()} ${response.url()}`);
    });
  });

  afterEach(async () => {
    await context.close();
  });

  async function signInFromRelyingParty(username: string, password: string) {
    await page.goto(rp.url);
    await shot('01-relying-party');
    await page.click('#sign-in');
    await page.waitForURL(/\/ui\/auth\/sign-in\.html\?request=/);
    await shot('02-sign-in-page');
    await page.fill('#username', username);
    await page.fill('#password', password);
    await shot('03-sign-in-filled');
    await page.click('button[type=submit]');
  }

  it('signs in as tenant\\user, lands back with a code, and the app shows the user info', async () => {
    await signInFromRelyingParty('t100\\agent1', PASSWORD);
    await page.waitForURL(`${rp.redirectUri}?**`);
    await page.waitForSelector('#userinfo');
    await shot('04-relying-party-signed-in');
    // The product's user name form: <contact center id>\\<user>.
    expect(await page.textContent('#user-username')).toMatch(/\\agent1$/);
    expect(await page.textContent('#user-loginName')).toBe('agent1');
    expect(await page.textContent('#user-firstName')).toBe('Ada');
    expect(await page.textContent('#id-token')).toBe('id_token received');
    const cookies = await context.cookies(stack.baseUrl + '/auth/v3/');
    const session = cookies.find((cookie) => cookie.name === 'cxauth_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/auth/v3' });
    // The session is live: a second sign-in from the app needs no password.
    await page.goto(`${rp.url}/login`);
    await page.waitForSelector('#userinfo');
    expect(await page.textContent('#user-username')).toMatch(/\\agent1$/);
    expect(consoleErrors).toEqual([]);
  });

  it('shows the error for a wrong password, with focus on the password field', async () => {
    await signInFromRelyingParty('t100\\agent1', 'not-my-password');
    await page.waitForURL(/error=invalid_credentials/);
    await shot('05-wrong-password');
    expect(await page.textContent('[role=alert]')).toContain('The user name or password is incorrect.');
    expect(await page.inputValue('#username')).toBe('t100\\agent1');
    expect(await page.inputValue('#password')).toBe('');
    expect(await focused(page)).toBe('password');
    // Then the right password still completes the original authorization.
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('#userinfo');
    expect(consoleErrors).toEqual([]);
  });

  it('works with the keyboard only, and the show-password button (JavaScript) toggles the field', async () => {
    await page.goto(rp.url);
    await page.click('#sign-in');
    await page.waitForURL(/sign-in\.html/);
    // The first empty field has focus; the order is tenant → user name → password → show → submit.
    expect(await focused(page)).toBe('tenant');
    await page.keyboard.type('t100');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('username');
    await page.keyboard.type('agent1');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Tab');
    expect(await focused(page, 'data-toggle-password')).toBe('password');
    const hiddenWidth = (await page.locator('#password').boundingBox())!.width;
    await page.keyboard.press('Enter');
    expect(await page.getAttribute('#password', 'type')).toBe('text');
    expect(await page.getAttribute('[data-toggle-password]', 'aria-pressed')).toBe('true');
    // The button sits inside the field: the field is as wide as the user name field, shown or not.
    expect((await page.locator('#password').boundingBox())!.width).toBe(hiddenWidth);
    expect(hiddenWidth).toBe((await page.locator('#username').boundingBox())!.width);
    await shot('06-keyboard-show-password');
    await page.keyboard.press('Enter');
    expect(await page.getAttribute('#password', 'type')).toBe('password');
    await page.keyboard.press('Tab');
    expect(await focused(page, 'type')).toBe('submit');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#userinfo');
    expect(await page.textContent('#user-username')).toMatch(/\\agent1$/);
  });

  it('works without JavaScript', async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const plain = await noScript.newPage();
    await plain.goto(`${rp.url}/login`);
    await plain.waitForURL(/sign-in\.html/);
    expect(await plain.isVisible('[data-toggle-password]')).toBe(false);
    await plain.fill('#username', 't100\\agent1');
    await plain.fill('#password', PASSWORD);
    await plain.click('button[type=submit]');
    await plain.waitForSelector('#userinfo');
    await noScript.close();
  });

  it('looks right on a phone, in German, with hideTenant', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'de-DE',
    });
    const mobile = await phone.newPage();
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'sample-rp',
      redirect_uri: rp.redirectUri,
      state: 'x',
      hideTenant: 'true',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    await mobile.goto(`${stack.baseUrl}/auth/v3/oauth/authorize?${query.toString()}`);
    await mobile.waitForURL(/sign-in\.html/);
    await mobile.screenshot({ path: join(ARTIFACTS, '07-phone-de-hide-tenant.png'), fullPage: true });
    expect(await mobile.getAttribute('html', 'lang')).toBe('de');
    expect(await mobile.isVisible('#tenant')).toBe(false);
    expect(await mobile.textContent('h1')).toBe('Anmelden');
    // Nothing overflows the phone's width.
    expect(await mobile.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await phone.close();
  });

  it('changes the password, after which the old one fails and the new one signs in', async () => {
    await page.goto(`${stack.baseUrl}/ui/auth/change-password.html`);
    await page.waitForURL(/change-password\.html\?request=/);
    await page.fill('#tenant', 't100');
    await page.fill('#username', 'agent2');
    await page.fill('#oldPassword', PASSWORD);
    await page.fill('#newPassword', 'Brand-New-Pass-7');
    await page.fill('#confirmPassword', 'Brand-New-Pass-7');
    await shot('08-change-password');
    await page.click('button[type=submit]');
    await page.waitForURL(/status=changed/);
    await shot('09-password-changed');
    expect(await page.textContent('[role=status]')).toContain('Your password has been changed.');

    await signInFromRelyingParty('t100\\agent2', PASSWORD);
    await page.waitForURL(/error=invalid_credentials/);
    await page.fill('#password', 'Brand-New-Pass-7');
    await page.click('button[type=submit]');
    await page.waitForSelector('#userinfo');
    expect(await page.textContent('#user-username')).toMatch(/\\agent2$/);
  });

  it('sign-out from the app ends the session; the next sign-in asks for the password again', async () => {
    await signInFromRelyingParty('t100\\agent1', PASSWORD);
    await page.waitForSelector('#userinfo');
    await page.click('#sign-out');
    await page.waitForURL(`${rp.url}/`);
    await shot('11-signed-out-back-at-app');
    expect(
      (await context.cookies(`${stack.baseUrl}/auth/v3/`)).some((cookie) => cookie.name === 'cxauth_session'),
    ).toBe(false);
    await page.click('#sign-in');
    await page.waitForURL(/\/ui\/auth\/sign-in\.html\?request=/);
    expect(await page.isVisible('#password')).toBe(true);
  });

  it('a foreign redirect_uri shows the error page and never leaves the site', async () => {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'sample-rp',
      redirect_uri: 'https://evil.example.net/cb',
    });
    await page.goto(`${stack.baseUrl}/auth/v3/oauth/authorize?${query.toString()}`);
    await page.waitForURL(/\/ui\/auth\/error\.html/);
    await shot('10-error-page');
    expect(new URL(page.url()).origin).toBe(stack.baseUrl);
    expect(await page.textContent('[role=alert]')).toContain('return address that is not registered');
  });

  describe('the product look: per contact-center branding, all four languages', () => {
    // A small logo as an operator would store it: a data:image URI in the `logo` setting.
    const LOGO = `data:image/svg+xml;base64,${Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 40"><rect width="40" height="40" rx="8" fill="#c8102e"/>' +
        '<path d="M10 30 20 10 30 30z" fill="#fff"/><text x="48" y="28" font-family="Arial" font-size="22" font-weight="700" fill="#1b2330">Acme</text></svg>',
    ).toString('base64')}`;

    beforeAll(async () => {
      const acme = await seedTenant(stack.database, 'acme');
      await seedUser(stack, acme, 'agent7', PASSWORD);
      for (const [name, value] of [
        ['display-name', 'Acme Support'],
        ['logo', LOGO],
        ['brand-color', '#c8102e'],
      ]) {
        await stack.database.query(
          `INSERT INTO contact_center_setting (contact_center_id, name, location, shared, value) VALUES ($1, $2, '/', true, $3)`,
          [acme, name, value],
        );
      }
    });

    it.each([
      ['en', 'Sign in'],
      ['de', 'Anmelden'],
      ['fr', 'Connexion'],
      ['es', 'Iniciar sesión'],
    ])('%s: logo, colours and footer, with nothing blocked by the CSP', async (locale, heading) => {
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: 'sample-rp',
        redirect_uri: rp.redirectUri,
        login_hint: 'acme\\agent7',
        locale,
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      });
      await page.goto(`${stack.baseUrl}/auth/v3/oauth/authorize?${query.toString()}`);
      await page.waitForURL(/sign-in\.html/);
      await shot(`20-branded-${locale}`);
      expect(await page.textContent('h1')).toBe(heading);
      expect(await page.textContent('.brand-name')).toBe('Acme Support');
      // The logo loaded (the CSP let it in) and the button wears the contact center's colour.
      expect(await page.evaluate<number>(`document.querySelector('.brand-logo').naturalWidth`)).toBeGreaterThan(0);
      expect(
        await page.evaluate<string>(`getComputedStyle(document.querySelector('button.primary')).backgroundColor`),
      ).toBe('rgb(200, 16, 46)');
      expect(await page.inputValue('#username')).toBe('agent7');
      expect(await focused(page)).toBe('password');
      expect(await page.textContent('footer p')).not.toBe('');
      expect(consoleErrors).toEqual([]);
      // And it signs in: back at the application with a code.
      await page.fill('#password', PASSWORD);
      await page.click('button[type=submit]');
      await page.waitForURL(`${rp.redirectUri}?**`);
      expect(new URL(page.url()).searchParams.get('code')).toBeTruthy();
    });

    it('a refused new password keeps what was typed and lists the rules that failed', async () => {
      await page.goto(`${stack.baseUrl}/ui/auth/change-password.html?locale=fr`);
      await page.waitForURL(/change-password\.html\?request=/);
      await page.fill('#tenant', 't100');
      await page.fill('#username', 'agent1');
      await page.fill('#oldPassword', PASSWORD);
      await page.fill('#newPassword', 'agent1');
      await page.fill('#confirmPassword', 'agent1');
      await page.click('button[type=submit]');
      await page.waitForURL(/error=password_policy/);
      await shot('21-change-password-rules-fr');
      expect(await page.inputValue('#tenant')).toBe('t100');
      expect(await page.inputValue('#username')).toBe('agent1');
      expect(await page.inputValue('#newPassword')).toBe('');
      expect(await page.locator('.rules li').allTextContents()).toEqual([
        'au moins 8 caractères',
        "pas votre nom d'utilisateur",
      ]);
      expect(await focused(page)).toBe('oldPassword');
      expect(consoleErrors).toEqual([]);
    });

    it('signed-in.html: "not signed in" without a session, the user with one', async () => {
      await page.goto(`${stack.baseUrl}/ui/auth/signed-in.html?locale=de`);
      await page.waitForURL(/session=none/);
      await shot('22-not-signed-in-de');
      expect(await page.textContent('h1')).toBe('Nicht angemeldet');
      await page.goto(`${stack.baseUrl}/ui/auth/sign-in.html?locale=es`);
      await page.fill('#tenant', 't100');
      await page.fill('#username', 'agent1');
      await page.fill('#password', PASSWORD);
      await page.click('button[type=submit]');
      await page.waitForURL(/signed-in\.html\?request=/);
      await shot('23-signed-in-es');
      expect(await page.textContent('[role=status]')).toBe('Ha iniciado sesión como Ada Lovelace (agent1).');
      await page.click('text=Cerrar sesión');
      await page.waitForURL(/signed-out\.html/);
      expect(consoleErrors).toEqual([]);
    });

    it('an unknown address shows a page, with the favicon', async () => {
      const response = await page.goto(`${stack.baseUrl}/ui/auth/no-such-page`);
      expect(response!.status()).toBe(404);
      await shot('24-not-found');
      expect(await page.textContent('h1')).toBe('Page not found');
      const icon = await page.getAttribute('link[rel=icon]', 'href');
      expect((await page.request.get(`${stack.baseUrl}${icon}`)).headers()['content-type']).toBe('image/svg+xml');
      consoleErrors.length = 0;
    });
  });
});

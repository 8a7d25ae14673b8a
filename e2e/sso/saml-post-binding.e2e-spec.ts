import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium, SampleRelyingParty } from '../browser/sample-rp';
import { DirectoryStack, OPS, startDirectoryStack } from '../directories/directory-stack';
import { selfSigned } from '@cxauth/testing';
import { TestSamlIdp } from './saml-idp';
import { provisionTenants, putIdentityProvider, spMetadataOf, startPublicRelyingParty } from './sso-fixture';

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'sso');

jest.setTimeout(90_000);
jest.retryTimes(1, { logErrorsBeforeRetry: true });

/** The hidden fields, the action and the script nonce of cxauth's HTTP-POST binding page. */
function postPage(html: string) {
  const fields: Record<string, string> = {};
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields[name!] = value!.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)));
  return {
    action: /<form id="saml-post" method="post" action="([^"]+)"/.exec(html)?.[1],
    fields,
    nonce: /<script nonce="([^"]+)">/.exec(html)?.[1],
  };
}

/**
 * SAML AuthnRequests over the HTTP-POST binding (`authnRequestBinding: post`, or an IdP whose metadata
 * offers only an HTTP-POST SingleSignOnService): cxauth answers a page whose form posts the XML-signed
 * AuthnRequest (node-saml) to the IdP; the samlify IdP verifies that signature. Over HTTP, and in
 * Chromium with and without JavaScript (the page's own CSP allows its one script by nonce).
 */
describe('SAML AuthnRequests over HTTP-POST (samlify IdP)', () => {
  let stack: DirectoryStack;
  let rp: SampleRelyingParty;
  const idp = new TestSamlIdp();
  const sp = selfSigned('cxauth-sp-post');
  const contactCenters: Record<string, string> = {};
  const spMetadata = spMetadataOf(() => stack, contactCenters);
  const metadata = (tenant: string) => spMetadata.get(tenant);

  const idpPath = (tenant: string) => `/environment/v3/contact-centers/${contactCenters[tenant]}/identity-provider`;
  const putIdp = (tenant: string, saml: Record<string, unknown>) =>
    putIdentityProvider(stack, contactCenters[tenant]!, {
      type: 'saml',
      saml: { spCertificate: sp.cert, spPrivateKey: sp.key, ...saml },
    });
  const typed = { idpEntityId: idp.entityId, signingCertificates: [idp.keys.cert] };

  const authorizeUrl = (tenant: string) =>
    `/auth/v3/oauth/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: 'post-rp',
      redirect_uri: rp.redirectUri,
      code_challenge: 'a'.repeat(43),
      code_challenge_method: 'S256',
      tenant,
    }).toString()}`;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startDirectoryStack();
    await idp.start((spEntityId) =>
      metadata(Object.keys(contactCenters).find((tenant) => spEntityId.includes(contactCenters[tenant]!)) ?? 'post1'),
    );
    Object.assign(
      contactCenters,
      (await provisionTenants(stack, ['post1', 'postmd', 'postcfg', 'postslo'], ['post1', 'postmd', 'postslo']))
        .contactCenters,
    );
    expect((await putIdp('post1', { ...typed, ssoUrl: idp.ssoPostUrl, authnRequestBinding: 'post' })).status).toBe(200);
    // Single logout over HTTP-POST too.
    expect(
      (
        await putIdp('postslo', {
          ...typed,
          ssoUrl: idp.ssoPostUrl,
          authnRequestBinding: 'post',
          sloUrl: idp.sloPostUrl,
          logoutRequestBinding: 'post',
        })
      ).status,
    ).toBe(200);
    // Metadata offering single sign-on over HTTP-POST only: the binding and URL come from it.
    expect((await putIdp('postmd', { metadataXml: idp.metadata(undefined, ['post']) })).status).toBe(200);
    rp = await startPublicRelyingParty(stack, 'post-rp');
  }, 90_000);

  afterAll(async () => {
    await rp?.close();
    await idp.close();
    await stack?.close();
  });

  describe('configuration (environment-api)', () => {
    const stored = async (tenant: string) =>
      (await stack.http().get(idpPath(tenant)).auth(OPS.username, OPS.password)).body.data.saml;

    it('GET shows the binding: post where set, post from metadata offering only HTTP-POST, redirect by default', async () => {
      expect(await stored('post1')).toMatchObject({ authnRequestBinding: 'post', ssoUrl: idp.ssoPostUrl });
      expect(await stored('postmd')).toMatchObject({ authnRequestBinding: 'post', ssoUrl: idp.ssoPostUrl });
      // Metadata offering both: HTTP-Redirect unless the provider asks for HTTP-POST, each with its own URL.
      expect((await putIdp('postcfg', { metadataXml: idp.metadata() })).status).toBe(200);
      expect(await stored('postcfg')).toMatchObject({ authnRequestBinding: 'redirect', ssoUrl: idp.ssoUrl });
      expect((await putIdp('postcfg', { metadataXml: idp.metadata(), authnRequestBinding: 'post' })).status).toBe(200);
      expect(await stored('postcfg')).toMatchObject({ authnRequestBinding: 'post', ssoUrl: idp.ssoPostUrl });
      expect((await putIdp('postcfg', { ...typed, ssoUrl: idp.ssoUrl })).status).toBe(200);
      expect(await stored('postcfg')).toMatchObject({
        authnRequestBinding: 'redirect',
        logoutRequestBinding: 'redirect',
      });
      // Single logout: metadata offering it over HTTP-POST only gives that binding and URL.
      expect((await putIdp('postcfg', { metadataXml: idp.metadata(undefined, undefined, ['post']) })).status).toBe(200);
      expect(await stored('postcfg')).toMatchObject({ logoutRequestBinding: 'post', sloUrl: idp.sloPostUrl });
      expect(
        (await putIdp('postcfg', { metadataXml: idp.metadata(undefined, undefined, ['redirect', 'post']) })).status,
      ).toBe(200);
      expect(await stored('postcfg')).toMatchObject({ logoutRequestBinding: 'redirect', sloUrl: idp.sloUrl });
    });

    it.each([
      [
        'a binding that is not one',
        { ...typed, ssoUrl: idp.ssoUrl, authnRequestBinding: 'artifact' },
        'authnRequestBinding',
      ],
      [
        'HTTP-POST asked of metadata offering only HTTP-Redirect',
        { metadataXml: idp.metadata(undefined, ['redirect']), authnRequestBinding: 'post' },
        'data.saml.metadataXml: has no SingleSignOnService for the HTTP-POST binding',
      ],
    ])('refuses %s with a 400 naming the field', async (_name, saml, message) => {
      const response = await putIdp('postcfg', saml);
      expect(response.status).toBe(400);
      expect(response.body.status.code).toBe(2);
      expect(response.body.status.message).toContain(message);
    });
  });

  describe('over HTTP', () => {
    it('the start answers a form page to the IdP: XML-signed AuthnRequest (samlify verifies it), RelayState, its own CSP', async () => {
      const agent = stack.http();
      const authorize = await agent.get(authorizeUrl('post1'));
      const start = await agent.get(authorize.headers.location!);
      expect(start.status).toBe(200);
      expect(start.headers['content-type']).toContain('text/html');
      expect(start.headers['cache-control']).toBe('no-store');
      const page = postPage(start.text);
      expect(page.action).toBe(idp.ssoPostUrl);
      expect(Object.keys(page.fields).sort()).toEqual(['RelayState', 'SAMLRequest']);
      // Its policy: only the script of this answer's nonce, forms only to the IdP's origin.
      const csp = start.headers['content-security-policy']!;
      expect(csp).toContain(`script-src 'nonce-${page.nonce}'`);
      expect(csp).toContain(`form-action ${new URL(idp.ssoPostUrl).origin}`);
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(start.text).not.toMatch(/onload=|<script>/);
      // The HTTP-POST binding carries the XML itself (not deflated), with an enveloped signature.
      const xml = Buffer.from(page.fields.SAMLRequest!, 'base64').toString('utf8');
      expect(xml).toMatch(/^(<\?xml version="1.0"\?>)?<samlp:AuthnRequest /);
      expect(xml).toContain(`Destination="${idp.ssoPostUrl}"`);
      expect(xml).toContain(
        `AssertionConsumerServiceURL="${stack.baseUrl}/auth/v3/sign-in/saml/${contactCenters.post1}/acs"`,
      );
      expect(xml).toContain('<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">');
      expect(xml).toContain('<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>');
      expect(xml).toContain('<DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>');
      expect(xml).not.toContain('sha1');
      const request = await idp.parsePostRequest(await metadata('post1'), page.fields);
      expect(request.id).toMatch(/^_/);
      expect(request.relayState).toBe(page.fields.RelayState);

      // The IdP's answer to that request signs the user in, as over HTTP-Redirect.
      const response = await idp.response(await metadata('post1'), { nameId: 'ada', inResponseTo: request.id });
      const acs = await agent
        .post(`/auth/v3/sign-in/saml/${contactCenters.post1}/acs`)
        .type('form')
        .send({ SAMLResponse: response, RelayState: request.relayState });
      expect(acs.headers.location).toMatch(/^\/auth\/v3\/sign-in\/saml\/continue\?ticket=/);
      expect((await agent.get(acs.headers.location!)).headers.location).toMatch(`${rp.redirectUri}?code=`);
    });

    it('samlify refuses a posted AuthnRequest changed after signing (another ACS), or checked against another SP key', async () => {
      const agent = stack.http();
      const authorize = await agent.get(authorizeUrl('post1'));
      const page = postPage((await agent.get(authorize.headers.location!)).text);
      const xml = Buffer.from(page.fields.SAMLRequest!, 'base64').toString('utf8');
      const tampered = xml.replace(
        /AssertionConsumerServiceURL="[^"]+"/,
        'AssertionConsumerServiceURL="https://evil.example/acs"',
      );
      expect(tampered).not.toBe(xml);
      await expect(
        idp.parsePostRequest(await metadata('post1'), {
          SAMLRequest: Buffer.from(tampered).toString('base64'),
          RelayState: page.fields.RelayState!,
        }),
      ).rejects.toThrow(/FAILED_TO_VERIFY_SIGNATURE/);
      // Checked against another SP certificate than the one that signed: refused. (The request's KeyInfo
      // is left out, which the signature does not cover, so samlify takes the certificate from the metadata.)
      expect(xml).toMatch(/<KeyInfo>[\s\S]*<\/KeyInfo>/);
      const bare = {
        SAMLRequest: Buffer.from(xml.replace(/<KeyInfo>[\s\S]*<\/KeyInfo>/, '')).toString('base64'),
        RelayState: page.fields.RelayState!,
      };
      expect((await idp.parsePostRequest(await metadata('post1'), bare)).relayState).toBe(bare.RelayState);
      const otherSp = (await metadata('post1')).replace(
        /(<KeyDescriptor use="signing">[\s\S]*?<(?:ds:)?X509Certificate>)[^<]*/,
        `$1${selfSigned('other-sp').cert.replace(/-----[A-Z ]+-----|\s/g, '')}`,
      );
      expect(otherSp).not.toBe(await metadata('post1'));
      await expect(idp.parsePostRequest(otherSp, bare)).rejects.toThrow(/invalid signature/);
    });

    it('each page has its own nonce and RelayState', async () => {
      const pages = [];
      for (let i = 0; i < 2; i++) {
        const agent = stack.http();
        const authorize = await agent.get(authorizeUrl('post1'));
        pages.push(postPage((await agent.get(authorize.headers.location!)).text));
      }
      expect(pages[0]!.nonce).not.toBe(pages[1]!.nonce);
      expect(pages[0]!.nonce!.length).toBeGreaterThanOrEqual(22);
      expect(pages[0]!.fields.RelayState).not.toBe(pages[1]!.fields.RelayState);
    });

    it("the product's sign-in form (saml=true) for a tenant whose IdP takes HTTP-POST answers the same form page", async () => {
      const agent = stack.http();
      const started = await agent.get('/auth/v3/sign-in');
      const reference = new URL(started.headers.location!, stack.baseUrl).searchParams.get('request')!;
      const context = await agent.get(`/auth/v3/sign-in/context?request=${reference}`);
      const form = await agent
        .post('/auth/v3/sign-in')
        .type('form')
        .send({ username: 'postmd\\ada', saml: 'true', request: reference, csrf: context.body.data.csrfToken });
      expect(form.status).toBe(200);
      const page = postPage(form.text);
      expect(page.action).toBe(idp.ssoPostUrl);
      const request = await idp.parsePostRequest(await metadata('postmd'), page.fields);
      expect(request.relayState).toBe(page.fields.RelayState);
    });
  });

  describe('single logout over HTTP-POST (logoutRequestBinding: post)', () => {
    const slo = () => `/auth/v3/sign-in/saml/${contactCenters.postslo}/slo`;
    const ping = async (agent: ReturnType<DirectoryStack['http']>) => (await agent.get('/auth/v3/ping')).status;

    /** A browser signed in at postslo through the IdP (AuthnRequest posted), with this SessionIndex. */
    async function signedIn(sessionIndex: string) {
      const agent = stack.http();
      const authorize = await agent.get(authorizeUrl('postslo'));
      const page = postPage((await agent.get(authorize.headers.location!)).text);
      const request = await idp.parsePostRequest(await metadata('postslo'), page.fields);
      const response = await idp.response(await metadata('postslo'), {
        nameId: 'ada',
        inResponseTo: request.id,
        sessionIndex,
      });
      const acs = await agent
        .post(`/auth/v3/sign-in/saml/${contactCenters.postslo}/acs`)
        .type('form')
        .send({ SAMLResponse: response, RelayState: request.relayState });
      expect((await agent.get(acs.headers.location!)).headers.location).toMatch(`${rp.redirectUri}?code=`);
      expect(await ping(agent)).toBe(200);
      return agent;
    }

    it('SP-initiated: sign-out answers a form page posting the XML-signed LogoutRequest (samlify verifies it); the IdP’s answer ends on the signed-out page', async () => {
      const agent = await signedIn('idx-post-sp');
      const signOut = await agent.get('/auth/v3/sign-out');
      expect(signOut.status).toBe(200);
      expect(signOut.headers['content-type']).toContain('text/html');
      const page = postPage(signOut.text);
      expect(page.action).toBe(idp.sloPostUrl);
      expect(Object.keys(page.fields).sort()).toEqual(['RelayState', 'SAMLRequest']);
      expect(signOut.headers['content-security-policy']).toContain(`script-src 'nonce-${page.nonce}'`);
      expect(signOut.headers['content-security-policy']).toContain(`form-action ${new URL(idp.sloPostUrl).origin}`);
      // The session ended before the browser left.
      expect(await ping(agent)).toBe(403);
      const xml = Buffer.from(page.fields.SAMLRequest!, 'base64').toString('utf8');
      expect(xml).toContain('<samlp:LogoutRequest ');
      expect(xml).toContain('<DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>');
      const request = await idp.parsePostLogoutRequest(await metadata('postslo'), page.fields);
      expect(request).toMatchObject({ nameId: 'ada', sessionIndex: 'idx-post-sp' });
      // Changed after signing (another SessionIndex): samlify refuses it.
      const tampered = xml.replace('idx-post-sp', 'idx-other');
      await expect(
        idp.parsePostLogoutRequest(await metadata('postslo'), {
          SAMLRequest: Buffer.from(tampered).toString('base64'),
          RelayState: page.fields.RelayState!,
        }),
      ).rejects.toThrow(/FAILED_TO_VERIFY_SIGNATURE/);
      const back = await agent
        .post(slo())
        .type('form')
        .send({
          SAMLResponse: idp.logoutResponse(await metadata('postslo'), request.id),
          RelayState: request.relayState,
        });
      expect(back.status).toBe(303);
      expect(back.headers.location).toBe('/ui/auth/signed-out.html');
    });

    it('IdP-initiated: the session ends, and the answer is a form page posting the XML-signed LogoutResponse (samlify verifies it)', async () => {
      const agent = await signedIn('idx-post-idp');
      const request = idp.logoutRequest(await metadata('postslo'), { nameId: 'ada', sessionIndex: 'idx-post-idp' });
      const answer = await stack
        .http()
        .post(slo())
        .type('form')
        .send({ SAMLRequest: request.context, RelayState: 'idp-relay-1' });
      expect(answer.status).toBe(200);
      const page = postPage(answer.text);
      expect(page.action).toBe(idp.sloPostUrl);
      expect(page.fields.RelayState).toBe('idp-relay-1');
      expect(answer.headers['content-security-policy']).toContain(`script-src 'nonce-${page.nonce}'`);
      const response = await idp.parsePostLogoutResponse(await metadata('postslo'), page.fields);
      expect(response).toMatchObject({ inResponseTo: request.id, relayState: 'idp-relay-1' });
      expect(await ping(agent)).toBe(403);
    });
  });

  describe('in Chromium', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(() => browser?.close());

    it.each([
      ['with JavaScript: the form submits itself (no CSP violation)', true],
      ['without JavaScript: the user presses the button', false],
    ])('application → cxauth → IdP over HTTP-POST → application, %s', async (_name, javaScriptEnabled) => {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 800 },
        locale: 'en-US',
        javaScriptEnabled,
      });
      try {
        const page = await context.newPage();
        const violations: string[] = [];
        page.on('console', (message) => {
          if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
        });
        const before = idp.receivedPostRequests.length;
        await page.goto(`${rp.url}/login?tenant=post1`);
        if (!javaScriptEnabled) {
          await page.waitForSelector('#saml-continue');
          await page.screenshot({ path: join(ARTIFACTS, 'saml-post-no-js.png'), fullPage: true });
          await page.click('#saml-continue');
        }
        await page.waitForURL(idp.ssoPostUrl);
        // The IdP verified the posted request's signature before showing its sign-in form.
        expect(idp.receivedPostRequests.length).toBe(before + 1);
        await page.fill('#idp-user', 'ada');
        await page.click('#idp-sign-in');
        await page.click('#idp-continue');
        await page.waitForURL(`${rp.redirectUri}?**`);
        await page.waitForSelector('#userinfo');
        expect(await page.textContent('#user-loginName')).toBe('ada');
        expect(violations).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it('the sign-in page\'s "Continue with single sign-on" (its own CSP form-action) → the form page → the IdP over HTTP-POST → back', async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
      try {
        const page = await context.newPage();
        const violations: string[] = [];
        page.on('console', (message) => {
          if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
        });
        await page.goto(rp.url);
        await page.click('#sign-in');
        await page.waitForURL(/\/ui\/auth\/sign-in\.html\?request=/);
        await page.fill('#username', 'postmd\\ada');
        await page.click('#sso');
        await page.waitForURL(idp.ssoPostUrl);
        await page.fill('#idp-user', 'ada');
        await page.click('#idp-sign-in');
        await page.click('#idp-continue');
        await page.waitForURL(`${rp.redirectUri}?**`);
        await page.waitForSelector('#userinfo');
        expect(await page.textContent('#user-loginName')).toBe('ada');
        expect(violations).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it('single logout over HTTP-POST: sign-out → the form posts the LogoutRequest to the IdP (samlify verifies it) → its LogoutResponse → the signed-out page', async () => {
      idp.answerLogouts(() => metadata('postslo'), 'post');
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
      try {
        const page = await context.newPage();
        const violations: string[] = [];
        page.on('console', (message) => {
          if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
        });
        await page.goto(`${rp.url}/login?tenant=postslo`);
        await page.waitForURL(idp.ssoPostUrl);
        await page.fill('#idp-user', 'ada');
        await page.click('#idp-sign-in');
        await page.click('#idp-continue');
        await page.waitForURL(`${rp.redirectUri}?**`);
        const received = idp.receivedLogouts.length;
        const posted: string[] = [];
        page.on('request', (request) => {
          if (request.method() === 'POST') posted.push(request.url());
        });
        await page.goto(`${stack.baseUrl}/auth/v3/sign-out`);
        await page.waitForURL(`${stack.baseUrl}/ui/auth/signed-out.html`);
        expect(posted).toContain(idp.sloPostUrl);
        expect(posted).toContain(`${stack.baseUrl}/auth/v3/sign-in/saml/${contactCenters.postslo}/slo`);
        expect(idp.receivedLogouts.slice(received)).toEqual([expect.objectContaining({ nameId: 'ada' })]);
        expect(violations).toEqual([]);
        // The cxauth session is gone: a new authorization goes to the IdP again.
        await page.goto(`${rp.url}/login?tenant=postslo`);
        await page.waitForURL(idp.ssoPostUrl);
      } finally {
        await context.close();
      }
    });
  });
});

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, SampleRelyingParty } from '../browser/sample-rp';
import { createClient, DirectoryStack, OPS, startDirectoryStack } from '../directories/directory-stack';
import fastify, { FastifyInstance } from 'fastify';
import { freePort } from '@cxauth/platform';
import { KeyAndCertificate, selfSigned } from '@cxauth/testing';
import { asRedirectParameter, signedRedirectQuery, TestSamlIdp } from './saml-idp';
import {
  configureIdentityProvider,
  provisionTenants,
  samlProviderFields,
  spMetadataOf,
  startPublicRelyingParty,
} from './sso-fixture';

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'sso');

jest.setTimeout(90_000);
jest.retryTimes(1, { logErrorsBeforeRetry: true });

/**
 * SAML 2.0 single sign-on: cxauth's service provider (node-saml) against a samlify IdP, over HTTP
 * (every refusal) and in Chromium (the whole trip from an application and back).
 */
describe('SAML single sign-on (samlify IdP)', () => {
  let stack: DirectoryStack;
  let rp: SampleRelyingParty;
  const idp = new TestSamlIdp();
  const sp = selfSigned('cxauth-sp');
  const contactCenters: Record<string, string> = {};
  const spMetadata = spMetadataOf(() => stack, contactCenters);
  const metadata = (tenant: string) => spMetadata.get(tenant);

  async function putIdp(tenant: string, saml: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
    await configureIdentityProvider(stack, contactCenters[tenant]!, {
      type: 'saml',
      saml: { ...samlProviderFields(idp, sp), ...saml },
      ...extra,
    });
    spMetadata.forget(tenant);
  }

  const authorizeUrl = (tenant: string) =>
    `/auth/v3/oauth/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: 'saml-rp',
      redirect_uri: rp.redirectUri,
      code_challenge: 'a'.repeat(43),
      code_challenge_method: 'S256',
      tenant,
    }).toString()}`;

  /** An SP-initiated sign-in without a browser: the agent (cookies) and the verified AuthnRequest. */
  async function startSignIn(tenant: string) {
    const agent = stack.http();
    const authorize = await agent.get(authorizeUrl(tenant));
    expect(authorize.headers.location).toMatch(/^\/auth\/v3\/sign-in\/sso\?request=/);
    const toIdp = await agent.get(authorize.headers.location!);
    expect(toIdp.status).toBe(302);
    expect(toIdp.headers.location!.startsWith(`${idp.ssoUrl}?SAMLRequest=`)).toBe(true);
    const request = await idp.parseRequest(await metadata(tenant), toIdp.headers.location!);
    return { agent, request };
  }

  /** Posts a response to the tenant's ACS as the browser would and follows our own redirects. */
  async function post(agent: ReturnType<DirectoryStack['http']>, tenant: string, response: string, relayState: string) {
    const acs = await agent
      .post(`/auth/v3/sign-in/saml/${contactCenters[tenant]}/acs`)
      .type('form')
      .send({ SAMLResponse: response, RelayState: relayState });
    expect(acs.status).toBe(303);
    const location = acs.headers.location!;
    if (!location.startsWith('/auth/v3/sign-in/saml/continue')) return location;
    return (await agent.get(location)).headers.location!;
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // Short metadata intervals, so the metadataUrl tests see a refresh and the retry bound in seconds.
    stack = await startDirectoryStack({ SSO_METADATA_REFRESH_SECONDS: '5', SSO_METADATA_RETRY_SECONDS: '3' });
    // The IdP's pages answer the SP (contact center) that sent the browser; saml1 unless another one's entity ID.
    await idp.start((spEntityId) =>
      metadata(Object.keys(contactCenters).find((tenant) => spEntityId.includes(contactCenters[tenant]!)) ?? 'saml1'),
    );
    const provisioned = await provisionTenants(
      stack,
      ['saml1', 'samljit', 'samlidpinit', 'samlenc', 'samlurl', 'samlslo'],
      ['saml1', 'samljit', 'samlidpinit', 'samlenc', 'samlurl', 'samlslo'],
    );
    Object.assign(contactCenters, provisioned.contactCenters);
    await putIdp('saml1');
    // This one from the IdP's metadata document instead of its fields.
    await putIdp(
      'samljit',
      { metadataXml: idp.metadata(), idpEntityId: undefined, ssoUrl: undefined, signingCertificates: undefined },
      {
        jitProvisioning: true,
        defaultAuthorities: ['ROLE_AGENT'],
        groupAuthorities: { supervisors: ['ROLE_SUPERVISOR'] },
      },
    );
    await putIdp('samlidpinit', { allowIdpInitiated: true });
    await putIdp('samlenc', { wantAssertionsEncrypted: true });
    await putIdp('samlslo', { sloUrl: idp.sloUrl });
    rp = await startPublicRelyingParty(stack, 'saml-rp', () => ({ name: 'Agent Desktop' }));
  }, 90_000);

  afterAll(async () => {
    await rp?.close();
    await idp.close();
    await stack?.close();
  });

  it('publishes SP metadata per contact center (entity ID, ACS, signing certificate); 404 without a SAML provider', async () => {
    const xml = await metadata('saml1');
    const base = `${stack.baseUrl}/auth/v3/sign-in/saml/${contactCenters.saml1}`;
    expect(xml).toContain(`entityID="${base}/metadata"`);
    expect(xml).toContain(`Location="${base}/acs"`);
    expect(xml).toContain('AuthnRequestsSigned="true"');
    expect(xml).toContain('WantAssertionsSigned="true"');
    expect(xml).toContain(sp.cert.split('\n')[1]!.slice(0, 40));
    const unknown = await stack.http().get(`/auth/v3/sign-in/saml/${randomUUID()}/metadata`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.status.code).toBe(5);
  });

  it('a signed AuthnRequest, a signed response: the session and the code, like a password sign-in', async () => {
    const { agent, request } = await startSignIn('saml1');
    const response = await idp.response(await metadata('saml1'), { nameId: 'ada', inResponseTo: request.id });
    const location = await post(agent, 'saml1', response, request.relayState);
    expect(location.startsWith(`${rp.redirectUri}?code=`)).toBe(true);
    // The session: the next authorization needs no IdP.
    const again = await agent.get(authorizeUrl('saml1'));
    expect(again.headers.location!.startsWith(`${rp.redirectUri}?code=`)).toBe(true);
  });

  it('just-in-time provisioning creates the user from NameID and attributes', async () => {
    const { agent, request } = await startSignIn('samljit');
    const response = await idp.response(await metadata('samljit'), {
      nameId: 'grace',
      inResponseTo: request.id,
      attributes: {
        'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname': 'Grace',
        'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname': 'Hopper',
        'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups': 'supervisors',
      },
    });
    expect((await post(agent, 'samljit', response, request.relayState)).startsWith(`${rp.redirectUri}?code=`)).toBe(
      true,
    );
    expect(
      await stack.database.query(
        'SELECT first_name, last_name, authorities FROM local_user WHERE contact_center_id = $1 AND username = $2',
        [contactCenters.samljit, 'grace'],
      ),
    ).toEqual([{ first_name: 'Grace', last_name: 'Hopper', authorities: ['ROLE_AGENT', 'ROLE_SUPERVISOR'] }]);
  });

  describe('refusals, each with a clear error page', () => {
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

    it.each([
      ['a wrong audience', { audience: 'https://another-sp.example/metadata' }, 'sso_invalid_response'],
      ['a wrong recipient', { recipient: 'https://evil.example/acs' }, 'sso_invalid_response'],
      ['a wrong destination', { destination: 'https://evil.example/acs' }, 'sso_invalid_response'],
      ['another issuer', { issuer: 'https://other-idp.example' }, 'sso_invalid_response'],
      [
        'an expired assertion (beyond the clock skew)',
        { issueInstant: minutesAgo(20), notBefore: minutesAgo(20), notOnOrAfter: minutesAgo(10) },
        'sso_invalid_response',
      ],
      ['a not-yet-valid assertion', { notBefore: new Date(Date.now() + 600_000) }, 'sso_invalid_response'],
      ['a user the directory does not know (no JIT)', { nameId: 'mallory' }, 'sso_unknown_user'],
    ])('%s', async (_name, overrides, error) => {
      const { agent, request } = await startSignIn('saml1');
      const response = await idp.response(await metadata('saml1'), {
        nameId: 'ada',
        inResponseTo: request.id,
        ...overrides,
      });
      expect(await post(agent, 'saml1', response, request.relayState)).toBe(`/ui/auth/error.html?error=${error}`);
    });

    it('a tampered signature (the signed NameID changed afterwards)', async () => {
      const { agent, request } = await startSignIn('saml1');
      const signed = Buffer.from(
        await idp.response(await metadata('saml1'), { nameId: 'ada', inResponseTo: request.id }),
        'base64',
      ).toString('utf8');
      const tampered = signed.replace('>ada</saml:NameID>', '>root</saml:NameID>');
      expect(tampered).not.toBe(signed);
      const location = await post(agent, 'saml1', Buffer.from(tampered).toString('base64'), request.relayState);
      expect(location).toBe('/ui/auth/error.html?error=sso_invalid_response');
    });

    it('a response signed by a key the provider does not trust', async () => {
      const { agent, request } = await startSignIn('saml1');
      const response = await idp.response(
        await metadata('saml1'),
        { nameId: 'ada', inResponseTo: request.id },
        selfSigned('rogue-idp'),
      );
      expect(await post(agent, 'saml1', response, request.relayState)).toBe(
        '/ui/auth/error.html?error=sso_invalid_response',
      );
    });

    it('a signature-wrapping sample (an unsigned evil assertion before the signed one)', async () => {
      const { agent, request } = await startSignIn('saml1');
      const signed = Buffer.from(
        await idp.response(await metadata('saml1'), { nameId: 'ada', inResponseTo: request.id }),
        'base64',
      ).toString('utf8');
      const start = signed.indexOf('<saml:Assertion');
      const end = signed.indexOf('</saml:Assertion>') + '</saml:Assertion>'.length;
      const evil = signed
        .slice(start, end)
        .replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '')
        .replace(/ID="[^"]+"/, 'ID="_evil"')
        .replace('>ada</saml:NameID>', '>root</saml:NameID>');
      const wrapped = signed.slice(0, start) + evil + signed.slice(start);
      const location = await post(agent, 'saml1', Buffer.from(wrapped).toString('base64'), request.relayState);
      expect(location).toBe('/ui/auth/error.html?error=sso_invalid_response');
      expect(await stack.database.query('SELECT 1 FROM local_user WHERE username_lower = $1', ['root'])).toEqual([]);
    });

    it('a replayed response (the same one posted twice)', async () => {
      const { agent, request } = await startSignIn('saml1');
      const response = await idp.response(await metadata('saml1'), { nameId: 'ada', inResponseTo: request.id });
      expect((await post(agent, 'saml1', response, request.relayState)).startsWith(rp.redirectUri)).toBe(true);
      expect(await post(agent, 'saml1', response, request.relayState)).toBe('/ui/auth/error.html?error=sso_expired');
    });

    it('an unsolicited (IdP-initiated) response where that is not enabled', async () => {
      const response = await idp.response(await metadata('saml1'), { nameId: 'ada' });
      expect(await post(stack.http(), 'saml1', response, '')).toBe('/ui/auth/error.html?error=sso_unsolicited');
    });

    it('a response to an AuthnRequest we never sent', async () => {
      const { agent, request } = await startSignIn('saml1');
      const response = await idp.response(await metadata('saml1'), { nameId: 'ada', inResponseTo: '_forged-request' });
      expect(await post(agent, 'saml1', response, request.relayState)).toBe('/ui/auth/error.html?error=sso_expired');
    });

    it('an unknown IdP: the ACS of a contact center without a SAML provider', async () => {
      const response = await idp.response(await metadata('saml1'), { nameId: 'ada' });
      const acs = await stack
        .http()
        .post(`/auth/v3/sign-in/saml/${randomUUID()}/acs`)
        .type('form')
        .send({ SAMLResponse: response });
      expect(acs.status).toBe(303);
      expect(acs.headers.location).toBe('/ui/auth/error.html?error=sso_unknown_idp');
      const page = await stack.http().get(acs.headers.location!).set('accept', 'text/html');
      expect(page.text).toContain('Single sign-on is not set up for your contact center');
    });

    it('the response finished in another browser than the one that was sent (login CSRF)', async () => {
      const { request } = await startSignIn('saml1');
      const response = await idp.response(await metadata('saml1'), { nameId: 'ada', inResponseTo: request.id });
      expect(await post(stack.http(), 'saml1', response, request.relayState)).toBe(
        '/ui/auth/error.html?error=sso_unsolicited',
      );
    });
  });

  it('IdP-initiated where enabled: a session and the signed-in page; the same assertion is refused the second time', async () => {
    const agent = stack.http();
    const response = await idp.response(await metadata('samlidpinit'), { nameId: 'ada' });
    const location = await post(agent, 'samlidpinit', response, '');
    expect(location).toMatch(/^\/ui\/auth\/signed-in\.html\?request=/);
    expect((await agent.get('/auth/v3/ping')).status).toBe(200);
    expect(await post(stack.http(), 'samlidpinit', response, '')).toBe('/ui/auth/error.html?error=sso_expired');
  });

  describe('encrypted assertions (wantAssertionsEncrypted)', () => {
    it('the SP metadata advertises the encryption certificate only where encryption is required', async () => {
      const encrypting = await metadata('samlenc');
      expect(encrypting).toContain('<KeyDescriptor use="encryption">');
      expect(encrypting).toContain('<KeyDescriptor use="signing">');
      expect(await metadata('saml1')).not.toContain('use="encryption"');
    });

    it('an assertion samlify encrypts to the SP certificate is decrypted and signs the user in', async () => {
      const { agent, request } = await startSignIn('samlenc');
      const response = await idp.response(await metadata('samlenc'), {
        nameId: 'ada',
        inResponseTo: request.id,
        encrypted: true,
      });
      const xml = Buffer.from(response, 'base64').toString('utf8');
      expect(xml).toContain('EncryptedAssertion');
      expect(xml).not.toContain('>ada<');
      expect((await post(agent, 'samlenc', response, request.relayState)).startsWith(`${rp.redirectUri}?code=`)).toBe(
        true,
      );
    });

    it('an unencrypted (but validly signed) assertion is refused where encryption is required', async () => {
      const { agent, request } = await startSignIn('samlenc');
      const response = await idp.response(await metadata('samlenc'), { nameId: 'ada', inResponseTo: request.id });
      expect(await post(agent, 'samlenc', response, request.relayState)).toBe(
        '/ui/auth/error.html?error=sso_invalid_response',
      );
    });

    it('an assertion encrypted to another SP key is refused', async () => {
      const { agent, request } = await startSignIn('samlenc');
      const pemBody = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s/g, '');
      const foreign = (await metadata('samlenc')).replace(
        /(<KeyDescriptor use="encryption">[\s\S]*?<(?:ds:)?X509Certificate>)[^<]*/,
        `$1${pemBody(selfSigned('other-sp').cert)}`,
      );
      expect(foreign).not.toBe(await metadata('samlenc'));
      const response = await idp.response(foreign, { nameId: 'ada', inResponseTo: request.id, encrypted: true });
      expect(await post(agent, 'samlenc', response, request.relayState)).toBe(
        '/ui/auth/error.html?error=sso_invalid_response',
      );
    });
  });

  describe('IdP metadata by URL (metadataUrl), refreshed', () => {
    /** The IdP's metadata as a web server publishes it; `document` null answers 500. */
    const published: { document: string | null; reads: number } = { document: null, reads: 0 };
    let metadataServer: FastifyInstance;
    let metadataUrl = '';
    const rolled = selfSigned('cxauth-test-idp-next');
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    beforeAll(async () => {
      metadataServer = fastify({ logger: false });
      metadataServer.get('/federationmetadata.xml', async (_request, reply) => {
        published.reads++;
        if (published.document === null) return reply.code(500).send('unavailable');
        return reply.type('application/samlmetadata+xml').send(published.document);
      });
      const port = await freePort();
      await metadataServer.listen({ host: '127.0.0.1', port });
      metadataUrl = `http://127.0.0.1:${port}/federationmetadata.xml`;
      published.document = idp.metadata();
    });
    afterAll(() => metadataServer?.close());

    const signIn = async (keys?: KeyAndCertificate) => {
      const { agent, request } = await startSignIn('samlurl');
      const response = await idp.response(await metadata('samlurl'), { nameId: 'ada', inResponseTo: request.id }, keys);
      return post(agent, 'samlurl', response, request.relayState);
    };

    it('is read on write: the fields come from it; an unreachable or unusable URL is a 400 naming the field', async () => {
      await putIdp('samlurl', {
        metadataUrl,
        idpEntityId: undefined,
        ssoUrl: undefined,
        signingCertificates: undefined,
      });
      const stored = await stack
        .http()
        .get(`/environment/v3/contact-centers/${contactCenters.samlurl}/identity-provider`)
        .auth(OPS.username, OPS.password);
      expect(stored.body.data.saml).toMatchObject({ metadataUrl, idpEntityId: idp.entityId, ssoUrl: idp.ssoUrl });
      for (const [url, message] of [
        [`${metadataUrl}.missing`, /answered 404/],
        ['http://idp.example.com/metadata.xml', /https:\/\//],
      ] as const) {
        const refused = await stack
          .http()
          .put(`/environment/v3/contact-centers/${contactCenters.samlurl}/identity-provider`)
          .auth(OPS.username, OPS.password)
          .send({ data: { type: 'saml', saml: { metadataUrl: url, spCertificate: sp.cert, spPrivateKey: sp.key } } });
        expect(refused.status).toBe(400);
        expect(refused.body.status.code).toBe(2);
        expect(refused.body.status.message).toMatch('data.saml.metadataUrl');
        expect(refused.body.status.message).toMatch(message);
      }
    });

    it('a certificate rollover: a response signed with the new key makes auth-api read the metadata again, once', async () => {
      expect(await signIn()).toMatch(`${rp.redirectUri}?code=`);
      published.document = idp.metadata(rolled);
      await pause(3500); // past SSO_METADATA_RETRY_SECONDS since auth-api's last read
      const before = published.reads;
      expect((await signIn(rolled)).startsWith(`${rp.redirectUri}?code=`)).toBe(true);
      expect(published.reads).toBe(before + 1);
      // Responses signed with keys nobody published cause no further reads within the retry interval.
      for (let attempt = 0; attempt < 3; attempt++)
        expect(await signIn(selfSigned(`rogue-${attempt}`))).toBe('/ui/auth/error.html?error=sso_invalid_response');
      expect(published.reads).toBe(before + 1);
      // The old key is no longer trusted.
      expect(await signIn()).toBe('/ui/auth/error.html?error=sso_invalid_response');
    });

    it('periodic refresh: when the metadata cannot be read, the last good one stays', async () => {
      published.document = null;
      await pause(5500); // past SSO_METADATA_REFRESH_SECONDS
      const before = published.reads;
      expect((await signIn(rolled)).startsWith(`${rp.redirectUri}?code=`)).toBe(true);
      expect(published.reads).toBeGreaterThan(before);
    });
  });

  it('SSO sign-ins, granted and refused, are in the audit trail (reason only, no assertion)', async () => {
    const answer = await stack
      .http()
      .get('/auth/v3/ops/audit-events')
      .query({ type: 'sign_in', limit: 500 })
      .auth(OPS.username, OPS.password);
    expect(answer.status).toBe(200);
    const sso = (
      answer.body.data.events as { outcome: string; actor: string | null; detail: Record<string, unknown> }[]
    ).filter((event) => event.detail.channel === 'sso');
    expect(
      sso.some(
        (event) => event.outcome === 'success' && event.detail.protocol === 'saml' && event.actor?.endsWith('\\ada'),
      ),
    ).toBe(true);
    const reasons = new Set(sso.filter((event) => event.outcome === 'failure').map((event) => event.detail.reason));
    for (const reason of ['sso_invalid_response', 'sso_expired', 'sso_unsolicited']) expect(reasons).toContain(reason);
    expect(JSON.stringify(sso)).not.toContain('SAMLResponse');
  });

  it('auth-scheme answers saml for a SAML tenant', async () => {
    const response = await stack
      .http()
      .post('/auth/v3/auth-scheme')
      .send({ data: { userName: 'saml1\\ada' } });
    expect(response.body.data).toEqual({ scheme: 'saml', protocol: 'saml' });
  });

  describe('single logout (sloUrl)', () => {
    const slo = () => `/auth/v3/sign-in/saml/${contactCenters.samlslo}/slo`;
    const pingStatus = async (agent: ReturnType<DirectoryStack['http']>) => (await agent.get('/auth/v3/ping')).status;

    /** A browser signed in at samlslo through the IdP, with this SessionIndex. */
    async function signedIn(sessionIndex: string) {
      const { agent, request } = await startSignIn('samlslo');
      const response = await idp.response(await metadata('samlslo'), {
        nameId: 'ada',
        inResponseTo: request.id,
        sessionIndex,
      });
      expect((await post(agent, 'samlslo', response, request.relayState)).startsWith(`${rp.redirectUri}?code=`)).toBe(
        true,
      );
      expect(await pingStatus(agent)).toBe(200);
      return agent;
    }

    it('the SP metadata names the single logout endpoint', async () => {
      expect(await metadata('samlslo')).toContain(`Location="${stack.baseUrl}${slo()}"`);
      expect(await metadata('saml1')).not.toContain('SingleLogoutService');
      // samljit was written from the IdP's metadata document, whose SingleLogoutService gave it an sloUrl.
      expect(await metadata('samljit')).toContain('SingleLogoutService');
    });

    it('SP-initiated: sign-out ends the session, goes to the IdP with a signed LogoutRequest, and its answer to the signed-out page', async () => {
      const agent = await signedIn('idx-sp');
      const signOut = await agent.get('/auth/v3/sign-out');
      expect(signOut.status).toBe(302);
      expect(signOut.headers.location!.startsWith(`${idp.sloUrl}?SAMLRequest=`)).toBe(true);
      // The session ended before the browser left.
      expect(await pingStatus(agent)).toBe(403);
      // samlify checks the signature against the SP metadata's certificate.
      const request = await idp.parseLogoutRequest(await metadata('samlslo'), signOut.headers.location!);
      expect(request).toMatchObject({ nameId: 'ada', sessionIndex: 'idx-sp' });
      expect(request.relayState).not.toBe('');
      const response = idp.logoutResponse(await metadata('samlslo'), request.id);
      const back = await agent
        .post(slo())
        .type('form')
        .send({ SAMLResponse: response, RelayState: request.relayState });
      expect(back.status).toBe(303);
      expect(back.headers.location).toBe('/ui/auth/signed-out.html');
      // The same answer again: its RelayState was used.
      const again = await agent
        .post(slo())
        .type('form')
        .send({ SAMLResponse: response, RelayState: request.relayState });
      expect(again.headers.location).toBe('/ui/auth/error.html?error=sso_expired');
    });

    it('SP-initiated: an unsigned LogoutResponse, or one to another request, is refused', async () => {
      const agent = await signedIn('idx-other');
      const signOut = await agent.get('/auth/v3/sign-out');
      const request = await idp.parseLogoutRequest(await metadata('samlslo'), signOut.headers.location!);
      // Unsigned, then signed but answering another request.
      const unsigned = idp.logoutResponse(await metadata('samlslo'), request.id, false);
      const refused = await agent
        .post(slo())
        .type('form')
        .send({ SAMLResponse: unsigned, RelayState: request.relayState });
      expect(refused.headers.location).toBe('/ui/auth/error.html?error=sso_invalid_response');
      const response = idp.logoutResponse(await metadata('samlslo'), '_another-request');
      const back = await agent
        .post(slo())
        .type('form')
        .send({ SAMLResponse: response, RelayState: request.relayState });
      expect(back.headers.location).toBe('/ui/auth/error.html?error=sso_invalid_response');
    });

    it('SP-initiated: a signed LogoutResponse over HTTP-Redirect (query signature) ends on the signed-out page; unsigned or forged, it is refused', async () => {
      const agent = await signedIn('idx-redirect-response');
      const signOut = await agent.get('/auth/v3/sign-out');
      const request = await idp.parseLogoutRequest(await metadata('samlslo'), signOut.headers.location!);
      const unsigned = idp.logoutResponse(await metadata('samlslo'), request.id, false);
      // The deflated message without a signature, then signed by a key the provider does not trust.
      const bare = await agent.get(
        `${slo()}?SAMLResponse=${encodeURIComponent(asRedirectParameter(unsigned))}&RelayState=${encodeURIComponent(request.relayState)}`,
      );
      expect(bare.status).toBe(302);
      expect(bare.headers.location).toBe('/ui/auth/error.html?error=sso_invalid_response');
      const forged = await agent.get(
        `${slo()}?${signedRedirectQuery(unsigned, request.relayState, selfSigned('forger-response'), 'SAMLResponse')}`,
      );
      expect(forged.headers.location).toBe('/ui/auth/error.html?error=sso_invalid_response');
      // The IdP's own signature: on to the signed-out page, once.
      const query = signedRedirectQuery(unsigned, request.relayState, idp.keys, 'SAMLResponse');
      const back = await agent.get(`${slo()}?${query}`);
      expect(back.status).toBe(302);
      expect(back.headers.location).toBe('/ui/auth/signed-out.html');
      expect((await agent.get(`${slo()}?${query}`)).headers.location).toBe('/ui/auth/error.html?error=sso_expired');
      expect(await pingStatus(agent)).toBe(403);
    });

    it('a session without single logout at its IdP signs out locally', async () => {
      const { agent, request } = await startSignIn('saml1');
      const response = await idp.response(await metadata('saml1'), { nameId: 'ada', inResponseTo: request.id });
      await post(agent, 'saml1', response, request.relayState);
      const signOut = await agent.get('/auth/v3/sign-out');
      expect(signOut.headers.location).toBe('/ui/auth/signed-out.html');
      expect(await pingStatus(agent)).toBe(403);
    });

    it('IdP-initiated (POST): ends the session of that NameID and SessionIndex only, answers with a signed LogoutResponse', async () => {
      const first = await signedIn('idx-a');
      const second = await signedIn('idx-b');
      const request = idp.logoutRequest(await metadata('samlslo'), { nameId: 'ada', sessionIndex: 'idx-a' });
      const answer = await stack
        .http()
        .post(slo())
        .type('form')
        .send({ SAMLRequest: request.context, RelayState: 'idp-relay' });
      expect(answer.status).toBe(303);
      expect(answer.headers.location!.startsWith(`${idp.sloUrl}?SAMLResponse=`)).toBe(true);
      const response = await idp.parseLogoutResponse(await metadata('samlslo'), answer.headers.location!);
      expect(response).toEqual({
        inResponseTo: request.id,
        issuer: (await metadata('samlslo')).match(/entityID="([^"]+)"/)![1],
        relayState: 'idp-relay',
      });
      expect(await pingStatus(first)).toBe(403);
      expect(await pingStatus(second)).toBe(200);
      // The same LogoutRequest again (a replay) is refused and ends nothing.
      const replay = await stack.http().post(slo()).type('form').send({ SAMLRequest: request.context });
      expect(replay.headers.location).toBe('/ui/auth/error.html?error=sso_expired');
      expect(await pingStatus(second)).toBe(200);
    });

    it('IdP-initiated over HTTP-Redirect (query signature): the session ends, a signed LogoutResponse answers', async () => {
      const agent = await signedIn('idx-redirect');
      const request = idp.logoutRequest(
        await metadata('samlslo'),
        { nameId: 'ada', sessionIndex: 'idx-redirect' },
        { signed: false },
      );
      const answer = await stack.http().get(`${slo()}?${signedRedirectQuery(request.context, 'r2', idp.keys)}`);
      expect(answer.status).toBe(302);
      const response = await idp.parseLogoutResponse(await metadata('samlslo'), answer.headers.location!);
      expect(response).toMatchObject({ inResponseTo: request.id, relayState: 'r2' });
      expect(await pingStatus(agent)).toBe(403);
      // The same query signed by another key is refused.
      const forged = await stack
        .http()
        .get(`${slo()}?${signedRedirectQuery(request.context, 'r2', selfSigned('forger-redirect'))}`);
      expect(forged.headers.location).toBe('/ui/auth/error.html?error=sso_invalid_response');
    });

    it('IdP-initiated without SessionIndex: every session of the NameID at that IdP ends', async () => {
      const first = await signedIn('idx-c');
      const second = await signedIn('idx-d');
      const request = idp.logoutRequest(await metadata('samlslo'), { nameId: 'ada' });
      const answer = await stack.http().post(slo()).type('form').send({ SAMLRequest: request.context });
      expect(answer.headers.location!.startsWith(`${idp.sloUrl}?SAMLResponse=`)).toBe(true);
      expect(await pingStatus(first)).toBe(403);
      expect(await pingStatus(second)).toBe(403);
    });

    describe('refusals: the session stays', () => {
      it.each([
        ['an unsigned LogoutRequest (POST)', 'post', { signed: false }],
        ['an unsigned LogoutRequest (HTTP-Redirect)', 'redirect', { signed: false }],
        ['a LogoutRequest signed by a key the provider does not trust', 'post', { keys: selfSigned('forger') }],
      ] as const)('%s', async (_name, binding, options) => {
        const agent = await signedIn(`idx-refused-${binding}`);
        const request = idp.logoutRequest(await metadata('samlslo'), { nameId: 'ada' }, options);
        const answer =
          binding === 'post'
            ? await stack.http().post(slo()).type('form').send({ SAMLRequest: request.context })
            : await stack
                .http()
                .get(`${slo()}?SAMLRequest=${encodeURIComponent(asRedirectParameter(request.context))}`);
        expect(answer.status).toBe(binding === 'post' ? 303 : 302);
        expect(answer.headers.location).toBe('/ui/auth/error.html?error=sso_invalid_response');
        expect(await pingStatus(agent)).toBe(200);
      });

      it('a LogoutRequest for a contact center without a SAML provider, or not a contact center id', async () => {
        const request = idp.logoutRequest(await metadata('samlslo'), { nameId: 'ada' });
        for (const id of [randomUUID(), 'not-an-id']) {
          const answer = await stack
            .http()
            .post(`/auth/v3/sign-in/saml/${id}/slo`)
            .type('form')
            .send({ SAMLRequest: request.context });
          expect(answer.headers.location).toBe('/ui/auth/error.html?error=sso_unknown_idp');
        }
      });
    });
  });

  describe('in Chromium', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(() => browser?.close());

    it('application → cxauth → IdP (signed AuthnRequest) → POST to the ACS → application with tokens and userinfo', async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
      try {
        const page = await context.newPage();
        await page.goto(`${rp.url}/login?tenant=saml1`);
        await page.waitForURL(`${idp.ssoUrl}?**`);
        await page.fill('#idp-user', 'ada');
        await page.click('#idp-sign-in');
        await page.click('#idp-continue');
        await page.waitForURL(`${rp.redirectUri}?**`);
        await page.waitForSelector('#userinfo');
        await page.screenshot({ path: join(ARTIFACTS, 'saml-signed-in.png'), fullPage: true });
        expect(await page.textContent('#user-loginName')).toBe('ada');
        expect(await page.textContent('#user-firstName')).toBe('Ada');
      } finally {
        await context.close();
      }
    });

    describe('single logout', () => {
      const verifier = randomBytes(32).toString('base64url');
      const sloAuthorizeUrl = () =>
        `${stack.baseUrl}/auth/v3/oauth/authorize?${new URLSearchParams({
          response_type: 'code',
          client_id: 'saml-slo-rp',
          redirect_uri: rp.redirectUri,
          scope: 'openid',
          state: 'app-state',
          code_challenge: createHash('sha256').update(verifier).digest('base64url'),
          code_challenge_method: 'S256',
          tenant: 'samlslo',
        }).toString()}`;

      beforeAll(async () => {
        await createClient(stack, {
          client_id: 'saml-slo-rp',
          name: 'Agent Desktop',
          clientType: 'PUBLIC',
          authorizedGrantTypes: ['authorization_code', 'refresh_token'],
          redirectURIs: [rp.redirectUri],
        });
      });

      /**
       * Chromium signs in at samlslo through the IdP's pages; the application's callback is answered
       * by the test (route), which exchanges the code itself: the tokens are the test's to check.
       */
      async function signInInChromium(page: Page) {
        await page.route(`${rp.redirectUri}?**`, (route) =>
          route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>app</title>' }),
        );
        await page.goto(sloAuthorizeUrl());
        await page.waitForURL(`${idp.ssoUrl}?**`);
        await page.fill('#idp-user', 'ada');
        await page.click('#idp-sign-in');
        await page.click('#idp-continue');
        await page.waitForURL(`${rp.redirectUri}?**`);
        const code = new URL(page.url()).searchParams.get('code')!;
        const token = await stack.http().post('/auth/v3/oauth/token').type('form').send({
          grant_type: 'authorization_code',
          code,
          redirect_uri: rp.redirectUri,
          client_id: 'saml-slo-rp',
          code_verifier: verifier,
        });
        expect(token.status).toBe(200);
        expect(token.body.refresh_token).toEqual(expect.any(String));
        // The session stands: the next authorization needs no IdP.
        await page.goto(sloAuthorizeUrl());
        await page.waitForURL(`${rp.redirectUri}?**`);
        return token.body as { access_token: string; refresh_token: string };
      }

      const userinfoStatus = async (accessToken: string) =>
        (await stack.http().get('/auth/v3/userinfo').set('authorization', `Bearer ${accessToken}`)).status;
      const refreshStatus = async (refreshToken: string) =>
        (
          await stack
            .http()
            .post('/auth/v3/oauth/token')
            .type('form')
            .send({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'saml-slo-rp' })
        ).status;

      /** The URLs the browser went to (navigations and form posts). */
      function trail(page: Page): string[] {
        const seen: string[] = [];
        page.on('request', (request) => {
          if (request.isNavigationRequest()) seen.push(`${request.method()} ${request.url()}`);
        });
        return seen;
      }

      it('sign-out → the IdP with a signed LogoutRequest → its LogoutResponse (HTTP-POST) → the signed-out page; the session is gone, the tokens stay (not global)', async () => {
        idp.answerLogouts(() => metadata('samlslo'), 'post');
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
        try {
          const page = await context.newPage();
          const tokens = await signInInChromium(page);
          const seen = trail(page);
          const received = idp.receivedLogouts.length;
          await page.goto(`${stack.baseUrl}/auth/v3/sign-out`);
          await page.waitForURL(`${stack.baseUrl}/ui/auth/signed-out.html`);
          await page.screenshot({ path: join(ARTIFACTS, 'saml-slo-signed-out.png'), fullPage: true });
          expect(await page.textContent('body')).toContain('You have been signed out');
          // The trip: cxauth → the IdP's SLO URL (LogoutRequest, verified by samlify) → POST back to cxauth's SLO.
          const slo = `${stack.baseUrl}/auth/v3/sign-in/saml/${contactCenters.samlslo}/slo`;
          expect(seen.some((entry) => entry.startsWith(`GET ${idp.sloUrl}?SAMLRequest=`))).toBe(true);
          expect(seen).toContain(`POST ${slo}`);
          expect(idp.receivedLogouts.slice(received)).toEqual([
            expect.objectContaining({ nameId: 'ada', relayState: expect.any(String) }),
          ]);
          // The cxauth session is gone: a new authorization needs the IdP's sign-in again.
          await page.goto(sloAuthorizeUrl());
          await page.waitForURL(`${idp.ssoUrl}?**`);
          expect(await page.isVisible('#idp-user')).toBe(true);
          // A browser sign-out without global=true leaves the application's tokens alone.
          expect(await userinfoStatus(tokens.access_token)).toBe(200);
          expect(await refreshStatus(tokens.refresh_token)).toBe(200);
        } finally {
          await context.close();
        }
      });

      it('sign-out with global=true, the IdP answering over HTTP-Redirect: the signed-out page, and every token of the user is revoked', async () => {
        idp.answerLogouts(() => metadata('samlslo'), 'redirect');
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
        try {
          const page = await context.newPage();
          const tokens = await signInInChromium(page);
          const seen = trail(page);
          // Typed by the user (Sec-Fetch-Site: none): not cross-site, so global applies.
          await page.goto(`${stack.baseUrl}/auth/v3/sign-out?global=true`);
          await page.waitForURL(`${stack.baseUrl}/ui/auth/signed-out.html`);
          const slo = `${stack.baseUrl}/auth/v3/sign-in/saml/${contactCenters.samlslo}/slo`;
          expect(seen.some((entry) => entry.startsWith(`GET ${slo}?SAMLResponse=`))).toBe(true);
          await page.goto(sloAuthorizeUrl());
          await page.waitForURL(`${idp.ssoUrl}?**`);
          expect(await userinfoStatus(tokens.access_token)).toBe(401);
          expect(await refreshStatus(tokens.refresh_token)).toBe(400);
        } finally {
          await context.close();
        }
      });
    });
  });
});

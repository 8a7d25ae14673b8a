import { randomUUID } from 'node:crypto';
import { selfSigned } from '@cxauth/testing';
import { createClient, DirectoryStack, OPS, provision, startDirectoryStack } from '../directories/directory-stack';
import type { SampleRelyingParty } from '../browser/sample-rp';
import { signInAtOidcIdpOverHttp, startOidcIdp, TestOidcIdp } from './oidc-idp';
import { TestSamlIdp } from './saml-idp';
import {
  configureIdentityProvider,
  provisionTenants,
  samlProviderFields,
  spMetadataOf,
  startPublicRelyingParty,
} from './sso-fixture';

jest.setTimeout(90_000);

const LOCKOUTS = '/auth/v3/ops/lockouts';
const OIDC_CLIENT = { client_id: 'cxauth-lockout', client_secret: 'idp-lockout-Secret-42' };
const LOCKOUT_SECONDS = 4;

/**
 * The password path's lockout rules hold for SSO (real PostgreSQL and Redis, a samlify IdP, and a
 * node-oidc-provider IdP for OIDC): an IdP
 * sign-in of a user whose account failed passwords until locked — temporarily or permanently — or who
 * is disabled is refused with an error page and an audit event; unlocked, the same sign-in works.
 */
describe('SSO sign-in and the lockout rules (samlify and oidc-provider IdPs, real Redis and PostgreSQL)', () => {
  let stack: DirectoryStack;
  let rp: SampleRelyingParty;
  let secret: string;
  let oidcIdp: TestOidcIdp;
  const idp = new TestSamlIdp();
  const sp = selfSigned('cxauth-sp-lockout');
  const contactCenters: Record<string, string> = {};
  const spMetadata = spMetadataOf(() => stack, contactCenters);
  const metadata = (tenant: string) => spMetadata.get(tenant);

  async function putIdp(tenant: string, extra: Record<string, unknown> = {}) {
    await configureIdentityProvider(stack, contactCenters[tenant]!, {
      type: 'saml',
      saml: samlProviderFields(idp, sp),
      ...extra,
    });
  }

  /** The IdP's signed answer for `nameId`, ready to post (the browser went to the IdP already). */
  async function atIdp(tenant: string, nameId: string) {
    const agent = stack.http();
    const authorize = await agent.get(
      `/auth/v3/oauth/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: 'lock-rp',
        redirect_uri: rp.redirectUri,
        code_challenge: 'a'.repeat(43),
        code_challenge_method: 'S256',
        tenant,
      }).toString()}`,
    );
    const toIdp = await agent.get(authorize.headers.location!);
    expect(toIdp.headers.location!.startsWith(`${idp.ssoUrl}?SAMLRequest=`)).toBe(true);
    const request = await idp.parseRequest(await metadata(tenant), toIdp.headers.location!);
    const response = await idp.response(await metadata(tenant), { nameId, inResponseTo: request.id });
    /** Posts the answer to the ACS and follows cxauth's own redirect: where the browser ends. */
    return async () => {
      const acs = await agent
        .post(`/auth/v3/sign-in/saml/${contactCenters[tenant]}/acs`)
        .type('form')
        .send({ SAMLResponse: response, RelayState: request.relayState });
      expect(acs.status).toBe(303);
      if (!acs.headers.location!.startsWith('/auth/v3/sign-in/saml/continue')) return acs.headers.location!;
      return (await agent.get(acs.headers.location!)).headers.location!;
    };
  }

  const passwordGrant = (username: string, password: string) =>
    stack
      .http()
      .post('/auth/v3/oauth/token')
      .auth('lock-service', secret)
      // Its own source address, so the failures lock the account and not the test's loopback source.
      .set('x-forwarded-for', '198.51.100.7')
      .type('form')
      .send({ grant_type: 'password', username, password });

  async function failPasswords(username: string, times: number): Promise<void> {
    for (let i = 0; i < times; i++) expect((await passwordGrant(username, `wrong-${i}`)).status).toBe(400);
  }

  const lockout = async (user: string) =>
    (await stack.http().get(LOCKOUTS).query({ user }).auth(OPS.username, OPS.password)).body.data as {
      failures: number;
      lockedForSeconds: number | null;
      permanentlyLocked: boolean;
    };

  const unlock = async (user: string) =>
    expect((await stack.http().delete(LOCKOUTS).query({ user }).auth(OPS.username, OPS.password)).status).toBe(200);

  async function ssoRefusals(): Promise<{ actor: string | null; detail: Record<string, unknown> }[]> {
    const answer = await stack
      .http()
      .get('/auth/v3/ops/audit-events')
      .query({ type: 'sign_in', limit: 500 })
      .auth(OPS.username, OPS.password);
    return (
      answer.body.data.events as { outcome: string; actor: string | null; detail: Record<string, unknown> }[]
    ).filter((event) => event.detail.channel === 'sso' && event.outcome === 'failure');
  }

  beforeAll(async () => {
    stack = await startDirectoryStack({
      LOGIN_LOCKOUT_FAILURES: '3',
      LOGIN_LOCKOUT_SECONDS: String(LOCKOUT_SECONDS),
      LOGIN_PERMANENT_LOCKOUT_FAILURES: '4',
      LOGIN_THROTTLE_DELAY_MS: '0',
    });
    await idp.start(() => metadata('lock1'));
    const provisioned = await provisionTenants(stack, ['lockjit'], []);
    Object.assign(contactCenters, provisioned.contactCenters);
    // Two domains: a password failure under either one locks the same user.
    contactCenters.lock1 = randomUUID();
    await provision(stack, 'post', '/contact-centers', {
      id: contactCenters.lock1,
      environmentId: provisioned.environmentId,
      domains: ['lock1', 'lock1-alias'],
      auth: 'local',
    });
    for (const username of ['ada', 'bob', 'eve']) {
      const created = await stack
        .http()
        .post('/auth/v3/ops/users')
        .auth(OPS.username, OPS.password)
        .send({ data: { contactCenterId: contactCenters.lock1, username, password: 'Correct-Horse-42' } });
      expect(created.status).toBe(200);
    }
    await putIdp('lock1');
    await putIdp('lockjit', { jitProvisioning: true, defaultAuthorities: ['ROLE_AGENT'] });
    // An OIDC contact center with the local user olga, signing in at a node-oidc-provider IdP.
    oidcIdp = await startOidcIdp(
      [{ ...OIDC_CLIENT, redirect_uris: [`${stack.baseUrl}/auth/v3/sign-in/oidc/callback`] }],
      { 'olga.idp': { preferred_username: 'olga' } },
    );
    contactCenters.lockoidc = randomUUID();
    await provision(stack, 'post', '/contact-centers', {
      id: contactCenters.lockoidc,
      environmentId: provisioned.environmentId,
      domains: ['lockoidc'],
      auth: 'local',
    });
    const olga = await stack
      .http()
      .post('/auth/v3/ops/users')
      .auth(OPS.username, OPS.password)
      .send({ data: { contactCenterId: contactCenters.lockoidc, username: 'olga', password: 'Correct-Horse-42' } });
    expect(olga.status).toBe(200);
    await configureIdentityProvider(stack, contactCenters.lockoidc!, {
      type: 'oidc',
      oidc: { issuer: oidcIdp.issuer, clientId: OIDC_CLIENT.client_id, clientSecret: OIDC_CLIENT.client_secret },
    });
    rp = await startPublicRelyingParty(stack, 'lock-rp');
    secret = await createClient(stack, {
      client_id: 'lock-service',
      client_secret: 'lock-service-Secret-42',
      clientType: 'CONFIDENTIAL',
      authorizedGrantTypes: ['password'],
    });
  }, 90_000);

  afterAll(async () => {
    await rp?.close();
    await oidcIdp?.close();
    await idp.close();
    await stack?.close();
  });

  it('a temporary lockout refuses the SSO sign-in (error page, audit event); it counts nothing, and after the lockout SSO works', async () => {
    const finish = await atIdp('lock1', 'ada');
    await failPasswords('lock1\\ada', 3);
    expect((await passwordGrant('lock1\\ada', 'Correct-Horse-42')).status).toBe(429);
    expect(await finish()).toBe('/ui/auth/error.html?error=sso_locked');
    const page = await stack.http().get('/ui/auth/error.html?error=sso_locked').set('accept', 'text/html');
    expect(page.text).toContain('your account is locked');
    const refusal = (await ssoRefusals()).find((event) => event.detail.reason === 'sso_locked');
    expect(refusal).toMatchObject({
      actor: `${contactCenters.lock1}\\ada`,
      detail: { channel: 'sso', reason: 'sso_locked', contactCenterId: contactCenters.lock1 },
    });
    // The refusal is not a password failure: the count stays at 3.
    expect(await lockout('lock1\\ada')).toMatchObject({ failures: 3, permanentlyLocked: false });

    // Once the lockout is over (LOGIN_LOCKOUT_SECONDS) the same user signs in through the IdP again.
    const deadline = Date.now() + 30_000;
    while ((await lockout('lock1\\ada')).lockedForSeconds !== null && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await atIdp('lock1', 'ada').then((post) => post())).startsWith(`${rp.redirectUri}?code=`)).toBe(true);
  });

  it('failures under another domain of the contact center lock the same user for SSO; an unlock lets it in; an SSO success resets nothing', async () => {
    await failPasswords('lock1-alias\\bob', 3);
    expect(await atIdp('lock1', 'bob').then((post) => post())).toBe('/ui/auth/error.html?error=sso_locked');
    await unlock('lock1-alias\\bob');
    expect((await atIdp('lock1', 'bob').then((post) => post())).startsWith(`${rp.redirectUri}?code=`)).toBe(true);
    // A successful SSO sign-in resets nothing either (it proves nothing about the password).
    await failPasswords('lock1\\bob', 2);
    expect((await atIdp('lock1', 'bob').then((post) => post())).startsWith(`${rp.redirectUri}?code=`)).toBe(true);
    expect(await lockout('lock1\\bob')).toMatchObject({ failures: 2, lockedForSeconds: null });
  });

  it('a permanent lockout (LOGIN_PERMANENT_LOCKOUT_FAILURES) refuses SSO until the operator unlocks', async () => {
    await failPasswords('lock1\\eve', 3);
    // Past the temporary lockout, one more failure reaches the permanent limit (4).
    const deadline = Date.now() + 30_000;
    while ((await lockout('lock1\\eve')).lockedForSeconds !== null && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 250));
    await failPasswords('lock1\\eve', 1);
    expect(await lockout('lock1\\eve')).toMatchObject({ permanentlyLocked: true });
    expect(await atIdp('lock1', 'eve').then((post) => post())).toBe('/ui/auth/error.html?error=sso_locked');
    // Still refused after the temporary lockout's time.
    await new Promise((resolve) => setTimeout(resolve, (LOCKOUT_SECONDS + 1) * 1000));
    expect(await atIdp('lock1', 'eve').then((post) => post())).toBe('/ui/auth/error.html?error=sso_locked');
    await unlock('lock1\\eve');
    expect((await atIdp('lock1', 'eve').then((post) => post())).startsWith(`${rp.redirectUri}?code=`)).toBe(true);
  });

  it('a disabled user is refused (sso_disabled, audit event); enabled again, SSO works', async () => {
    const users = await stack
      .http()
      .get('/auth/v3/ops/users')
      .query({ contactCenterId: contactCenters.lock1 })
      .auth(OPS.username, OPS.password);
    const ada = (users.body.data as { id: string; username: string }[]).find((user) => user.username === 'ada')!;
    const setEnabled = async (enabled: boolean) =>
      expect(
        (
          await stack
            .http()
            .put(`/auth/v3/ops/users/${ada.id}`)
            .auth(OPS.username, OPS.password)
            .send({ data: { enabled } })
        ).status,
      ).toBe(200);
    await setEnabled(false);
    expect(await atIdp('lock1', 'ada').then((post) => post())).toBe('/ui/auth/error.html?error=sso_disabled');
    expect((await ssoRefusals()).find((event) => event.detail.reason === 'sso_disabled')).toMatchObject({
      actor: `${contactCenters.lock1}\\ada`,
    });
    const page = await stack.http().get('/ui/auth/error.html?error=sso_disabled').set('accept', 'text/html');
    expect(page.text).toContain('is disabled');
    await setEnabled(true);
    expect((await atIdp('lock1', 'ada').then((post) => post())).startsWith(`${rp.redirectUri}?code=`)).toBe(true);
  });

  it('just-in-time provisioning: a locked name is refused and no user is created; unlocked, the user is created', async () => {
    const users = () =>
      stack.database.query('SELECT username FROM local_user WHERE contact_center_id = $1', [contactCenters.lockjit]);
    await failPasswords('lockjit\\newbie', 3);
    expect(await atIdp('lockjit', 'newbie').then((post) => post())).toBe('/ui/auth/error.html?error=sso_locked');
    expect(await users()).toEqual([]);
    await unlock('lockjit\\newbie');
    expect((await atIdp('lockjit', 'newbie').then((post) => post())).startsWith(`${rp.redirectUri}?code=`)).toBe(true);
    expect(await users()).toEqual([{ username: 'newbie' }]);
  });

  it('over OIDC: a locked user signing in at the oidc-provider IdP is refused (sso_locked, audit event); unlocked, it signs in', async () => {
    /** An OIDC sign-in at lockoidc through the IdP (over HTTP): where the browser ends. */
    const oidcSignIn = async () => {
      const agent = stack.http();
      const authorize = await agent.get(
        `/auth/v3/oauth/authorize?${new URLSearchParams({
          response_type: 'code',
          client_id: 'lock-rp',
          redirect_uri: rp.redirectUri,
          code_challenge: 'a'.repeat(43),
          code_challenge_method: 'S256',
          tenant: 'lockoidc',
        }).toString()}`,
      );
      const toIdp = await agent.get(authorize.headers.location!);
      expect(toIdp.headers.location!.startsWith(`${oidcIdp.issuer}/auth?`)).toBe(true);
      const callback = await signInAtOidcIdpOverHttp(oidcIdp, toIdp.headers.location!, 'olga.idp');
      expect(callback.startsWith(`${stack.baseUrl}/auth/v3/sign-in/oidc/callback?`)).toBe(true);
      const answer = await agent.get(callback.slice(stack.baseUrl.length));
      expect(answer.status).toBe(302);
      return answer.headers.location!;
    };
    await failPasswords('lockoidc\\olga', 3);
    expect(await oidcSignIn()).toBe('/ui/auth/error.html?error=sso_locked');
    const actor = `${contactCenters.lockoidc}\\olga`;
    expect((await ssoRefusals()).filter((event) => event.actor === actor)).toEqual([
      expect.objectContaining({
        actor,
        detail: { channel: 'sso', reason: 'sso_locked', contactCenterId: contactCenters.lockoidc },
      }),
    ]);
    // The refusal counts no password failure.
    expect(await lockout('lockoidc\\olga')).toMatchObject({ failures: 3 });
    await unlock('lockoidc\\olga');
    expect((await oidcSignIn()).startsWith(`${rp.redirectUri}?code=`)).toBe(true);
  });
});

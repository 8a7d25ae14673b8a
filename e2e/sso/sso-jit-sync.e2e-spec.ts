import { createHash, randomBytes } from 'node:crypto';
import { selfSigned } from '@cxauth/testing';
import { createClient, DirectoryStack, OPS, startDirectoryStack } from '../directories/directory-stack';
import { signInAtOidcIdpOverHttp, startOidcIdp, TestOidcIdp } from './oidc-idp';
import { TestSamlIdp } from './saml-idp';
import { configureIdentityProvider, provisionTenants, samlProviderFields } from './sso-fixture';

jest.setTimeout(90_000);

const REDIRECT_URI = 'http://localhost:1/callback';
const IDP_CLIENT = { client_id: 'cxauth-sync', client_secret: 'idp-sync-Secret-42' };
const GROUPS = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups';
const SURNAME = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname';
const EMAIL = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
const mapping = {
  jitProvisioning: true,
  defaultAuthorities: ['ROLE_AGENT'],
  groupAuthorities: { supervisors: ['ROLE_SUPERVISOR'], quality: ['ROLE_QA'] },
};

/**
 * A user created just in time by single sign-on follows the IdP at each later sign-in (real PostgreSQL
 * and Redis, a samlify SAML IdP and a node-oidc-provider OIDC IdP, over HTTP): its authorities are
 * recomputed from the IdP's groups and `defaultAuthorities`, its names and e-mail taken over, and the
 * change is stored, audited and in the new tokens. A user the operator created keeps its own.
 */
describe('just-in-time users kept in step with the IdP (groups → authorities, names, e-mail)', () => {
  let stack: DirectoryStack;
  let oidcIdp: TestOidcIdp;
  const samlIdp = new TestSamlIdp();
  const sp = selfSigned('cxauth-sp-sync');
  const contactCenters: Record<string, string> = {};
  let samlMetadata = '';

  const user = async (tenant: string, username: string) =>
    (
      await stack.database.query<{
        first_name: string | null;
        last_name: string | null;
        email: string | null;
        authorities: string[];
        provisioned_by: string | null;
        updated_at: Date;
      }>(
        'SELECT first_name, last_name, email, authorities, provisioned_by, updated_at FROM local_user WHERE contact_center_id = $1 AND username_lower = $2',
        [contactCenters[tenant], username],
      )
    )[0];

  /** An authorization of the tenant (PKCE with a verifier we keep), started in a fresh agent. */
  async function authorize(tenant: string) {
    const agent = stack.http();
    const verifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'sync-rp',
      redirect_uri: REDIRECT_URI,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      tenant,
    });
    const started = await agent.get(`/auth/v3/oauth/authorize?${query.toString()}`);
    const toIdp = await agent.get(started.headers.location!);
    expect(toIdp.status).toBe(302);
    return { agent, verifier, idpUrl: toIdp.headers.location! };
  }

  /** The authorities the application sees: the code exchanged for a token, then userinfo. */
  async function authoritiesInToken(location: string, verifier: string): Promise<string[]> {
    expect(location.startsWith(`${REDIRECT_URI}?code=`)).toBe(true);
    const token = await stack
      .http()
      .post('/auth/v3/oauth/token')
      .type('form')
      .send({
        grant_type: 'authorization_code',
        code: new URL(location).searchParams.get('code')!,
        redirect_uri: REDIRECT_URI,
        client_id: 'sync-rp',
        code_verifier: verifier,
      });
    expect(token.status).toBe(200);
    const userinfo = await stack
      .http()
      .get('/auth/v3/userinfo')
      .set('authorization', `Bearer ${token.body.access_token}`);
    expect(userinfo.status).toBe(200);
    return [...(userinfo.body.authorities as string[])].sort();
  }

  /** A SAML sign-in at `tenant` whose assertion carries `nameId` and `attributes`: where the browser ends, and the token's authorities. */
  async function samlSignIn(tenant: string, nameId: string, attributes: Record<string, string>) {
    const { agent, verifier, idpUrl } = await authorize(tenant);
    const request = await samlIdp.parseRequest(samlMetadata, idpUrl);
    const response = await samlIdp.response(samlMetadata, { nameId, inResponseTo: request.id, attributes });
    const acs = await agent
      .post(`/auth/v3/sign-in/saml/${contactCenters[tenant]}/acs`)
      .type('form')
      .send({ SAMLResponse: response, RelayState: request.relayState });
    const location = (await agent.get(acs.headers.location!)).headers.location!;
    return authoritiesInToken(location, verifier);
  }

  async function oidcSignIn(tenant: string, login: string) {
    const { agent, verifier, idpUrl } = await authorize(tenant);
    const callback = await signInAtOidcIdpOverHttp(oidcIdp, idpUrl, login);
    expect(callback.startsWith(`${stack.baseUrl}/auth/v3/sign-in/oidc/callback?`)).toBe(true);
    const location = (await agent.get(callback.slice(stack.baseUrl.length))).headers.location!;
    return authoritiesInToken(location, verifier);
  }

  const userUpdates = async (actor: string) =>
    (
      await stack
        .http()
        .get('/auth/v3/ops/audit-events')
        .query({ type: 'user_updated', limit: 500 })
        .auth(OPS.username, OPS.password)
    ).body.data.events.filter((event: { actor: string }) => event.actor === actor) as {
      outcome: string;
      target: string;
      detail: Record<string, unknown>;
    }[];

  beforeAll(async () => {
    stack = await startDirectoryStack();
    oidcIdp = await startOidcIdp(
      [{ ...IDP_CLIENT, redirect_uris: [`${stack.baseUrl}/auth/v3/sign-in/oidc/callback`] }],
      {
        'grace.idp': {
          preferred_username: 'grace',
          given_name: 'Grace',
          family_name: 'Hopper',
          email: 'grace@idp.example',
          groups: ['supervisors'],
        },
      },
    );
    await samlIdp.start(async () => samlMetadata);
    Object.assign(
      contactCenters,
      (await provisionTenants(stack, ['syncsaml', 'syncoidc'], ['syncsaml'])).contactCenters,
    );
    await configureIdentityProvider(stack, contactCenters.syncsaml!, {
      type: 'saml',
      saml: samlProviderFields(samlIdp, sp),
      ...mapping,
    });
    samlMetadata = (await stack.http().get(`/auth/v3/sign-in/saml/${contactCenters.syncsaml}/metadata`).buffer(true))
      .text;
    await configureIdentityProvider(stack, contactCenters.syncoidc!, {
      type: 'oidc',
      oidc: { issuer: oidcIdp.issuer, clientId: IDP_CLIENT.client_id, clientSecret: IDP_CLIENT.client_secret },
      ...mapping,
    });
    await createClient(stack, {
      client_id: 'sync-rp',
      clientType: 'PUBLIC',
      authorizedGrantTypes: ['authorization_code'],
      redirectURIs: [REDIRECT_URI],
    });
  }, 90_000);

  afterAll(async () => {
    await oidcIdp?.close();
    await samlIdp.close();
    await stack?.close();
  });

  it('SAML: a group removed at the IdP removes its authority at the next sign-in; names and e-mail follow; each change audited', async () => {
    const actor = `${contactCenters.syncsaml}\\hedy`;
    expect(
      await samlSignIn('syncsaml', 'hedy', {
        [GROUPS]: 'supervisors',
        [SURNAME]: 'Lamarr',
        [EMAIL]: 'hedy@idp.example',
      }),
    ).toEqual(['ROLE_AGENT', 'ROLE_SUPERVISOR']);
    expect(await user('syncsaml', 'hedy')).toMatchObject({
      provisioned_by: 'sso',
      last_name: 'Lamarr',
      authorities: ['ROLE_AGENT', 'ROLE_SUPERVISOR'],
    });
    expect(await userUpdates(actor)).toEqual([]);

    // supervisors → quality at the IdP, a new surname and e-mail: stored, in the new token, audited.
    expect(
      await samlSignIn('syncsaml', 'hedy', {
        [GROUPS]: 'quality',
        [SURNAME]: 'Markey',
        [EMAIL]: 'hedy.markey@idp.example',
      }),
    ).toEqual(['ROLE_AGENT', 'ROLE_QA']);
    expect(await user('syncsaml', 'hedy')).toMatchObject({
      last_name: 'Markey',
      email: 'hedy.markey@idp.example',
      authorities: ['ROLE_AGENT', 'ROLE_QA'],
    });
    expect(await userUpdates(actor)).toEqual([
      expect.objectContaining({
        outcome: 'success',
        target: actor,
        detail: expect.objectContaining({
          channel: 'sso',
          contactCenterId: contactCenters.syncsaml,
          fields: 'authorities,lastName,email',
          authorities: 'ROLE_AGENT ROLE_QA',
        }),
      }),
    ]);

    // No group at all (the attribute left out): defaultAuthorities only. Names not sent stay as stored.
    expect(await samlSignIn('syncsaml', 'hedy', {})).toEqual(['ROLE_AGENT']);
    const after = await user('syncsaml', 'hedy');
    expect(after).toMatchObject({ last_name: 'Markey', authorities: ['ROLE_AGENT'] });

    // Nothing changed at the IdP: nothing written, nothing audited.
    expect(await samlSignIn('syncsaml', 'hedy', {})).toEqual(['ROLE_AGENT']);
    expect((await user('syncsaml', 'hedy'))!.updated_at).toEqual(after!.updated_at);
    expect(await userUpdates(actor)).toHaveLength(2);
  });

  it('SAML: a name longer than a local user keeps is left out; the sign-in goes on', async () => {
    expect(await samlSignIn('syncsaml', 'hedy', { [SURNAME]: 'L'.repeat(300) })).toEqual(['ROLE_AGENT']);
    expect(await user('syncsaml', 'hedy')).toMatchObject({ last_name: 'Markey' });
  });

  it("SAML: a user the operator created keeps its directory's authorities and names, whatever the IdP's groups", async () => {
    expect(await samlSignIn('syncsaml', 'ada', { [GROUPS]: 'supervisors', [SURNAME]: 'Byron' })).toEqual([
      'ROLE_AGENT',
    ]);
    expect(await user('syncsaml', 'ada')).toMatchObject({
      provisioned_by: null,
      last_name: 'Lovelace',
      authorities: ['ROLE_AGENT'],
    });
    expect(await userUpdates(`${contactCenters.syncsaml}\\ada`)).toEqual([]);
    // The ops users API tells the two apart.
    const users = await stack
      .http()
      .get('/auth/v3/ops/users')
      .query({ contactCenterId: contactCenters.syncsaml })
      .auth(OPS.username, OPS.password);
    const byName = Object.fromEntries(
      (users.body.data as { username: string; provisionedBy?: string }[]).map((entry) => [entry.username, entry]),
    );
    expect(byName.hedy).toMatchObject({ provisionedBy: 'sso' });
    expect(byName.ada).not.toHaveProperty('provisionedBy');
  });

  it('OIDC: the groups claim of the next sign-in replaces the authorities; the names follow', async () => {
    expect(await oidcSignIn('syncoidc', 'grace.idp')).toEqual(['ROLE_AGENT', 'ROLE_SUPERVISOR']);
    expect(await user('syncoidc', 'grace')).toMatchObject({
      provisioned_by: 'sso',
      last_name: 'Hopper',
      authorities: ['ROLE_AGENT', 'ROLE_SUPERVISOR'],
    });
    oidcIdp.setAccounts({
      'grace.idp': {
        preferred_username: 'grace',
        given_name: 'Grace',
        family_name: 'Murray Hopper',
        email: 'grace@idp.example',
        groups: ['quality', 'unmapped'],
      },
    });
    expect(await oidcSignIn('syncoidc', 'grace.idp')).toEqual(['ROLE_AGENT', 'ROLE_QA']);
    expect(await user('syncoidc', 'grace')).toMatchObject({
      last_name: 'Murray Hopper',
      authorities: ['ROLE_AGENT', 'ROLE_QA'],
    });
    expect(await userUpdates(`${contactCenters.syncoidc}\\grace`)).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ fields: 'authorities,lastName' }) }),
    ]);
  });
});

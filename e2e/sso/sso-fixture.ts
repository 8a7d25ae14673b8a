import { randomUUID } from 'node:crypto';
import { type SampleRelyingParty, startSampleRelyingParty } from '../browser/sample-rp';
import { createClient, DirectoryStack, OPS, provision } from '../directories/directory-stack';

/** An environment and one local-directory contact center per tenant; `withAda` also get the local user `ada`. */
export async function provisionTenants(
  stack: DirectoryStack,
  tenants: string[],
  withAda: string[],
): Promise<{ environmentId: string; contactCenters: Record<string, string> }> {
  const environmentId = randomUUID();
  await provision(stack, 'post', '/environments', {
    id: environmentId,
    username: 'default',
    password: 'password',
    appName: 'Cloud',
    configServers: [{ primaryAddress: '127.0.0.1', primaryPort: 8888 }],
  });
  const contactCenters: Record<string, string> = {};
  for (const tenant of tenants) {
    const id = randomUUID();
    contactCenters[tenant] = id;
    await provision(stack, 'post', '/contact-centers', { id, environmentId, domains: [tenant], auth: 'local' });
    if (!withAda.includes(tenant)) continue;
    const response = await stack
      .http()
      .post('/auth/v3/ops/users')
      .auth(OPS.username, OPS.password)
      .send({
        data: {
          contactCenterId: id,
          username: 'ada',
          password: 'Correct-Horse-42',
          firstName: 'Ada',
          lastName: 'Lovelace',
          authorities: ['ROLE_AGENT'],
        },
      });
    if (response.status !== 200) throw new Error(`create ada: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return { environmentId, contactCenters };
}

/** `PUT /environment/v3/contact-centers/{id}/identity-provider` with the ops credentials: the answer. */
export function putIdentityProvider(stack: DirectoryStack, contactCenterId: string, data: Record<string, unknown>) {
  return stack
    .http()
    .put(`/environment/v3/contact-centers/${contactCenterId}/identity-provider`)
    .auth(OPS.username, OPS.password)
    .send({ data });
}

/** The same, failing the setup unless it answers 200. */
export async function configureIdentityProvider(
  stack: DirectoryStack,
  contactCenterId: string,
  data: Record<string, unknown>,
): Promise<void> {
  const response = await putIdentityProvider(stack, contactCenterId, data);
  if (response.status !== 200) throw new Error(`put idp: ${response.status} ${JSON.stringify(response.body)}`);
}

/** The SAML fields of a provider for the samlify test IdP, with the service provider's key pair. */
export function samlProviderFields(
  idp: { entityId: string; ssoUrl: string; keys: { cert: string } },
  sp: { cert: string; key: string },
): Record<string, unknown> {
  return {
    idpEntityId: idp.entityId,
    ssoUrl: idp.ssoUrl,
    signingCertificates: [idp.keys.cert],
    spCertificate: sp.cert,
    spPrivateKey: sp.key,
  };
}

/**
 * The sample relying party, registered as a PUBLIC authorization-code client of that id (`extra`:
 * more client fields, given the started relying party).
 */
export async function startPublicRelyingParty(
  stack: DirectoryStack,
  clientId: string,
  extra: (rp: SampleRelyingParty) => Record<string, unknown> = () => ({}),
): Promise<SampleRelyingParty> {
  const rp = await startSampleRelyingParty(stack.baseUrl, clientId);
  await createClient(stack, {
    client_id: clientId,
    clientType: 'PUBLIC',
    authorizedGrantTypes: ['authorization_code'],
    redirectURIs: [rp.redirectUri],
    ...extra(rp),
  });
  return rp;
}

/**
 * Our SAML SP metadata per tenant, read once from the stack (`forget` after the tenant's provider
 * changes).
 */
export function spMetadataOf(stack: () => DirectoryStack, contactCenters: Record<string, string>) {
  const cache: Record<string, string> = {};
  return {
    async get(tenant: string): Promise<string> {
      cache[tenant] ??= (
        await stack().http().get(`/auth/v3/sign-in/saml/${contactCenters[tenant]}/metadata`).buffer(true)
      ).text;
      return cache[tenant];
    },
    forget(tenant: string): void {
      delete cache[tenant];
    },
  };
}

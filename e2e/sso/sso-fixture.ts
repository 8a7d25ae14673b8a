import { randomUUID } from 'node:crypto';
import { DirectoryStack, OPS, provision } from '../directories/directory-stack';

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

import { randomUUID } from 'node:crypto';
import type { TestApp } from '@cxauth/testing';

export const OPS = `Basic ${Buffer.from('ops:ops').toString('base64')}`;

/** An environment and a contact center created through environment-api's API (ops Basic); returns the contact center id. */
export async function provisionContactCenter(environmentApi: TestApp): Promise<string> {
  const environmentId = randomUUID();
  const contactCenterId = randomUUID();
  await environmentApi
    .http()
    .post('/environment/v3/environments')
    .set('Authorization', OPS)
    .send({
      data: {
        id: environmentId,
        username: 'default',
        password: 'password',
        connectionProtocol: 'addp',
        remoteTimeout: 7,
        localTimeout: 5,
        appName: 'Cloud',
        traceMode: 'CFGTMBoth',
        tlsEnabled: false,
        tenant: 'Environment',
        configServers: [{ primaryAddress: '10.0.0.1', primaryPort: 2020, readOnly: false, locations: '/USW1' }],
      },
    })
    .expect(200);
  await environmentApi
    .http()
    .post('/environment/v3/contact-centers')
    .set('Authorization', OPS)
    .send({ data: { id: contactCenterId, environmentId, domains: ['t100'], auth: 'configServer' } })
    .expect(200);
  return contactCenterId;
}

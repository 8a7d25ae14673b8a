import type { DirectoryUser } from '../../ports/user-directory.port';
import { toCloudUserDetails, toOpenIdUserInfo } from '../user-details';

const local: DirectoryUser = {
  id: '9350e2fc-0000-4000-8000-000000000001\\agent1',
  username: 'Agent1',
  contactCenterId: '9350e2fc-0000-4000-8000-000000000001',
  environmentId: '7c6e1d2a-0000-4000-8000-000000000002',
  email: 'agent1@example.com',
  firstName: 'Ann',
  lastName: 'Agent',
  authorities: ['ROLE_AGENT'],
  properties: { team: 'blue', firstName: 'Annie' },
};

const ops: DirectoryUser = {
  id: 'ops',
  username: 'ops',
  contactCenterId: null,
  environmentId: null,
  authorities: ['ROLE_OPS', 'ROLE_INTERNAL_CLIENT'],
  properties: {},
};

describe('user-details mapper', () => {
  it('maps a contact-center user to CloudUserDetails', () => {
    expect(toCloudUserDetails(local)).toEqual({
      username: local.id,
      authorities: ['ROLE_AGENT'],
      cmeUserName: 'Agent1',
      loginName: 'Agent1',
      contactCenterId: local.contactCenterId,
      environmentId: local.environmentId,
      // A stored property wins over the standard field of the same name.
      properties: { team: 'blue', firstName: 'Annie', lastName: 'Agent', email: 'agent1@example.com' },
    });
  });

  it('leaves the contact-center fields out for the ops user', () => {
    expect(toCloudUserDetails(ops)).toEqual({
      username: 'ops',
      authorities: ['ROLE_OPS', 'ROLE_INTERNAL_CLIENT'],
      properties: {},
    });
  });

  it('keeps a dbid when a directory has one', () => {
    expect(toCloudUserDetails({ ...local, dbid: 101 }).dbid).toBe(101);
    expect(toOpenIdUserInfo({ ...local, dbid: 101 }).dbid).toBe(101);
  });

  it('maps to OpenIdUserInfo with the client as audience', () => {
    expect(toOpenIdUserInfo(local, 'external_api_client')).toEqual({
      sub: local.id,
      aud: 'external_api_client',
      user_name: 'Agent1',
      email: 'agent1@example.com',
      given_name: 'Ann',
      family_name: 'Agent',
      contact_center_id: local.contactCenterId,
      environment_id: local.environmentId,
      authorities: ['ROLE_AGENT'],
      properties: { team: 'blue', firstName: 'Annie', lastName: 'Agent', email: 'agent1@example.com' },
    });
    expect(toOpenIdUserInfo(ops)).toEqual({
      sub: 'ops',
      user_name: 'ops',
      authorities: ['ROLE_OPS', 'ROLE_INTERNAL_CLIENT'],
      properties: {},
    });
  });

  it('does not share arrays or objects with the directory user', () => {
    const details = toCloudUserDetails(local);
    details.authorities.push('ROLE_X');
    details.properties.team = 'red';
    expect(local.authorities).toEqual(['ROLE_AGENT']);
    expect(local.properties.team).toBe('blue');
  });
});

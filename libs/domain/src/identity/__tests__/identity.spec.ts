import type { AccessTokenRecord } from '../../tokens/token-records';
import { parseTenantUserName } from '../tenant-user-name';
import { toPrincipal } from '../token-principal';

describe('tenant\\user names', () => {
  it.each<[string, string | null | undefined, string | null, string]>([
    ['t100\\agent1', undefined, 't100', 'agent1'],
    ['t100\\agent1', 'other', 't100', 'agent1'],
    ['\\ops', undefined, null, 'ops'],
    ['ops', undefined, null, 'ops'],
    ['agent1', 't100', 't100', 'agent1'],
    ['agent1', '  ', null, 'agent1'],
    [' t100 \\agent1', undefined, 't100', 'agent1'],
    ['t100\\dom\\agent1', undefined, 't100', 'dom\\agent1'],
  ])('%s (tenant field %s) → tenant %s, user %s', (raw, field, tenant, username) => {
    expect(parseTenantUserName(raw, field)).toEqual({ tenant, username });
  });
});

describe('token principal', () => {
  const record: AccessTokenRecord = {
    clientId: 'app',
    subject: 'cc\\agent',
    scope: 'openid',
    authorities: ['ROLE_AGENT'],
    issuedAt: 1,
    expiresAt: 2,
    jti: 'j',
  };

  it('carries who the token speaks for, and the user only when there is one', () => {
    expect(toPrincipal(record)).toEqual({
      clientId: 'app',
      subject: 'cc\\agent',
      scope: 'openid',
      authorities: ['ROLE_AGENT'],
      expiresAt: 2,
    });
    const user = {
      id: 'cc\\agent',
      username: 'agent',
      contactCenterId: 'cc',
      environmentId: null,
      authorities: [],
      properties: {},
    };
    expect(toPrincipal({ ...record, user }).user).toBe(user);
  });
});

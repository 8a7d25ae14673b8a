import { gatewayPersonSchema } from '../gateway-contract';
import { roleAuthority, toDirectoryPerson } from '../person.mapper';

describe('Configuration Server Person → directory person', () => {
  it('names role authorities ROLE_<NAME>', () => {
    expect(roleAuthority('Supervisor')).toBe('ROLE_SUPERVISOR');
    expect(roleAuthority(' Supervisor Level 2 ')).toBe('ROLE_SUPERVISOR_LEVEL_2');
    expect(roleAuthority('QA/Coach')).toBe('ROLE_QA_COACH');
  });

  it('maps agents, roles, agent logins and the tenant into authorities and properties', () => {
    const person = gatewayPersonSchema.parse({
      dbid: 7,
      userName: 'sup1@pec.com',
      firstName: 'Sue',
      lastName: null,
      emailAddress: 'sup1@pec.com',
      isAgent: true,
      state: 'CFGEnabled',
      tenantDbid: 1,
      agentLogins: [
        { dbid: 1, loginCode: '7001' },
        { dbid: 2, loginCode: '7002' },
      ],
      roles: [{ dbid: 3, name: 'Supervisor' }],
    });
    expect(toDirectoryPerson(person)).toEqual({
      userName: 'sup1@pec.com',
      dbid: 7,
      firstName: 'Sue',
      email: 'sup1@pec.com',
      authorities: ['ROLE_AGENT', 'ROLE_SUPERVISOR'],
      properties: { tenantDBID: '1', agentLogins: '7001,7002' },
    });
  });

  it('a non-agent without roles has no authorities', () => {
    const person = gatewayPersonSchema.parse({ dbid: 8, userName: 'admin', state: 'CFGEnabled', tenantDbid: 1 });
    expect(toDirectoryPerson(person)).toEqual({
      userName: 'admin',
      dbid: 8,
      authorities: [],
      properties: { tenantDBID: '1' },
    });
  });
});

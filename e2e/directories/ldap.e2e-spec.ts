import { Client } from 'ldapts';
import { Registry } from 'prom-client';
import { DirectoryUnavailableException } from '@cxauth/domain';
import { freePort, SLAPD_ROOT_DN, SLAPD_SUFFIX, SlapdServer } from '@cxauth/testing';
import { DirectoryMetrics, LDAP_DEFAULTS, LdapSettings, LdapUserDirectory } from '@cxauth/directories';

const PEOPLE = `ou=people,${SLAPD_SUFFIX}`;
const GROUPS = `ou=groups,${SLAPD_SUFFIX}`;
const AD_USERS = `ou=ad,${SLAPD_SUFFIX}`;
const SERVICE_DN = `uid=cxauth,${PEOPLE}`;

/** Entries written as the root DN over a real connection. */
async function seed(server: SlapdServer): Promise<void> {
  const client = new Client({ url: server.ldapUrl });
  try {
    await client.bind(SLAPD_ROOT_DN, server.rootPassword);
    await client.add(SLAPD_SUFFIX, { objectClass: ['dcObject', 'organization'], dc: 'example', o: 'Example' });
    for (const ou of ['people', 'groups', 'ad']) {
      await client.add(`ou=${ou},${SLAPD_SUFFIX}`, { objectClass: 'organizationalUnit', ou });
    }
    const person = (uid: string, password: string, extra: Record<string, string | string[]> = {}) =>
      client.add(`uid=${uid},${PEOPLE}`, {
        objectClass: 'inetOrgPerson',
        uid,
        cn: uid,
        sn: extra.sn ?? uid,
        userPassword: password,
        ...extra,
      });
    await person('cxauth', 'service-secret');
    await person('jdoe', 'jdoe-Password!', {
      givenName: 'John',
      sn: 'Doe',
      mail: 'john.doe@example.com',
      employeeNumber: 'E-42',
    });
    await person('ksmith', 'ksmith-Password!', { givenName: 'Kim', sn: 'Smith' });
    await client.add(`cn=agents,${GROUPS}`, {
      objectClass: 'groupOfNames',
      cn: 'agents',
      member: [`uid=jdoe,${PEOPLE}`, `uid=ksmith,${PEOPLE}`],
    });
    await client.add(`cn=supervisors,${GROUPS}`, {
      objectClass: 'groupOfNames',
      cn: 'supervisors',
      member: [`uid=jdoe,${PEOPLE}`],
    });
    // Active Directory-style users: sAMAccountName, userPrincipalName, userAccountControl, memberOf.
    const adUser = (name: string, flags: number, groups: string[]) =>
      client.add(`cn=${name},${AD_USERS}`, {
        objectClass: 'user',
        uid: name,
        cn: name,
        sAMAccountName: name,
        userPrincipalName: `${name}@corp.example.com`,
        userAccountControl: String(flags),
        givenName: name.toUpperCase(),
        sn: 'Ad',
        userPassword: `${name}-Password!`,
        memberOf: groups.map((group) => `CN=${group},OU=Groups,DC=corp,DC=example,DC=com`),
      });
    await adUser('aduser', 512, ['Contact Center Agents']);
    await adUser('adoff', 514, ['Contact Center Agents']);
  } finally {
    await client.unbind();
  }
}

describe('LdapUserDirectory against a real OpenLDAP (slapd started by the test)', () => {
  const server = new SlapdServer();
  let metrics: DirectoryMetrics;
  const opened: LdapUserDirectory[] = [];

  const settings = (overrides: Partial<LdapSettings> = {}): LdapSettings => ({
    urls: [server.ldapUrl],
    startTls: false,
    bindMode: 'search',
    bindDn: SERVICE_DN,
    bindPassword: 'service-secret',
    userBaseDn: PEOPLE,
    userFilter: LDAP_DEFAULTS.userFilter,
    attributes: { ...LDAP_DEFAULTS.attributes },
    groupBaseDn: GROUPS,
    groupFilter: LDAP_DEFAULTS.groupFilter,
    groupNameAttribute: 'cn',
    groupAuthorities: { agents: ['ROLE_AGENT'], Supervisors: ['ROLE_SUPERVISOR'] },
    defaultAuthorities: ['ROLE_USER'],
    activeDirectory: false,
    allowPasswordChange: false,
    timeoutMs: 2_000,
    connectTimeoutMs: 1_000,
    poolSize: 2,
    pageSize: 1,
    ...overrides,
  });
  const directory = (overrides: Partial<LdapSettings> = {}) => {
    const created = new LdapUserDirectory(settings(overrides), {
      metrics,
      environmentId: 'env-ldap',
      profileTtlMs: 60_000,
    });
    opened.push(created);
    return created;
  };

  beforeAll(async () => {
    await server.start();
    await seed(server);
  });

  beforeEach(() => {
    metrics = new DirectoryMetrics(new Registry());
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((created) => created.close()));
  });

  afterAll(() => server.stop());

  it('search-then-bind: a good password signs in with mapped attributes and group authorities (paged group search)', async () => {
    expect(await directory().authenticate('jdoe', 'jdoe-Password!')).toEqual({
      status: 'authenticated',
      person: {
        userName: 'jdoe',
        firstName: 'John',
        lastName: 'Doe',
        email: 'john.doe@example.com',
        employeeId: 'E-42',
        authorities: ['ROLE_USER', 'ROLE_AGENT', 'ROLE_SUPERVISOR'],
        properties: { employeeId: 'E-42', groups: 'agents,supervisors' },
      },
    });
  });

  it('a bad password, an unknown user, an empty password and a filter-injection attempt are rejected', async () => {
    const ldap = directory();
    expect(await ldap.authenticate('jdoe', 'wrong')).toEqual({ status: 'rejected' });
    expect(await ldap.authenticate('nobody', 'jdoe-Password!')).toEqual({ status: 'rejected' });
    // An empty password would be an anonymous bind, which slapd accepts.
    expect(await ldap.authenticate('jdoe', '')).toEqual({ status: 'rejected' });
    expect(await ldap.authenticate('*', 'jdoe-Password!')).toEqual({ status: 'rejected' });
    expect(await ldap.authenticate('jdoe)(uid=*', 'jdoe-Password!')).toEqual({ status: 'rejected' });
  });

  it('direct bind with a DN template', async () => {
    const ldap = directory({ bindMode: 'direct', userDnTemplate: `uid={username},${PEOPLE}`, bindDn: undefined });
    const outcome = await ldap.authenticate('ksmith', 'ksmith-Password!');
    expect(outcome).toMatchObject({ status: 'authenticated', person: { userName: 'ksmith', firstName: 'Kim' } });
    expect(await ldap.authenticate('ksmith', 'nope')).toEqual({ status: 'rejected' });
  });

  it('finds a user without a password (for token refresh), from the profile cache afterwards', async () => {
    const ldap = directory();
    expect(await ldap.findByUserName('ksmith')).toMatchObject({
      userName: 'ksmith',
      authorities: ['ROLE_USER', 'ROLE_AGENT'],
    });
    expect(await ldap.findByUserName('nobody')).toBeNull();
  });

  it('Active Directory: sAMAccountName or userPrincipalName, memberOf groups, the disabled flag', async () => {
    const ad = directory({
      activeDirectory: true,
      userBaseDn: AD_USERS,
      userFilter: LDAP_DEFAULTS.activeDirectoryUserFilter,
      attributes: { ...LDAP_DEFAULTS.activeDirectoryAttributes },
      groupBaseDn: undefined,
      groupAuthorities: { 'contact center agents': ['ROLE_AGENT'] },
    });
    expect(await ad.authenticate('aduser', 'aduser-Password!')).toMatchObject({
      status: 'authenticated',
      person: { userName: 'aduser', firstName: 'ADUSER', authorities: ['ROLE_USER', 'ROLE_AGENT'] },
    });
    expect((await ad.authenticate('aduser@corp.example.com', 'aduser-Password!')).status).toBe('authenticated');
    // userAccountControl 514 = disabled: refused even with the right password.
    expect(await ad.authenticate('adoff', 'adoff-Password!')).toEqual({ status: 'rejected' });
    expect(await ad.findByUserName('adoff')).toBeNull();
  });

  it('LDAPS and StartTLS verify the server against the configured CA, and refuse without it', async () => {
    expect(
      (await directory({ urls: [server.ldapsUrl], caCertificate: server.ca }).authenticate('jdoe', 'jdoe-Password!'))
        .status,
    ).toBe('authenticated');
    expect(
      (await directory({ startTls: true, caCertificate: server.ca }).authenticate('jdoe', 'jdoe-Password!')).status,
    ).toBe('authenticated');
    await expect(directory({ urls: [server.ldapsUrl] }).authenticate('jdoe', 'jdoe-Password!')).rejects.toThrow(
      DirectoryUnavailableException,
    );
  });

  it('changes a password through the directory where allowed (RFC 3062), never otherwise', async () => {
    expect(await directory().changePassword('ksmith', 'ksmith-Password!', 'new-Password-1')).toBe('not-allowed');
    const ldap = directory({ allowPasswordChange: true });
    expect(await ldap.changePassword('ksmith', 'wrong', 'new-Password-1')).toBe('rejected');
    expect(await ldap.changePassword('ksmith', 'ksmith-Password!', 'new-Password-1')).toBe('changed');
    expect((await ldap.authenticate('ksmith', 'new-Password-1')).status).toBe('authenticated');
    expect(await ldap.authenticate('ksmith', 'ksmith-Password!')).toEqual({ status: 'rejected' });
  });

  it('a server that is down (or a second URL that is) is an outage, never a wrong password', async () => {
    const spare = new SlapdServer();
    const ldap = directory({
      urls: [`ldap://127.0.0.1:${await freePort()}`, server.ldapUrl],
    });
    // The first URL refuses: the second one answers.
    expect((await ldap.authenticate('jdoe', 'jdoe-Password!')).status).toBe('authenticated');
    await server.kill();
    try {
      await expect(directory().authenticate('jdoe', 'jdoe-Password!')).rejects.toThrow(DirectoryUnavailableException);
      await expect(directory().authenticate('jdoe', 'wrong')).rejects.toThrow(DirectoryUnavailableException);
    } finally {
      await server.launch();
      await spare.stop();
    }
    expect((await directory().authenticate('jdoe', 'jdoe-Password!')).status).toBe('authenticated');
  });
});

import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';
import { freePort } from '@cxauth/platform';
import { makeTestCertificates } from './test-certificates';

export const SLAPD_SUFFIX = 'dc=example,dc=com';
export const SLAPD_ROOT_DN = `cn=admin,${SLAPD_SUFFIX}`;
export const SLAPD_PEOPLE = `ou=people,${SLAPD_SUFFIX}`;
export const SLAPD_GROUPS = `ou=groups,${SLAPD_SUFFIX}`;

/**
 * The few Active Directory attributes cxauth reads (sAMAccountName, userPrincipalName,
 * userAccountControl, memberOf, employeeID) on a `user` class, so AD-style searches run on OpenLDAP.
 * A private OID arc: test data only.
 */
const ACTIVE_DIRECTORY_TEST_SCHEMA = [
  "attributetype ( 1.3.6.1.4.1.99999.1.1 NAME 'sAMAccountName' EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )",
  "attributetype ( 1.3.6.1.4.1.99999.1.2 NAME 'userPrincipalName' EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )",
  "attributetype ( 1.3.6.1.4.1.99999.1.3 NAME 'userAccountControl' EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )",
  "attributetype ( 1.3.6.1.4.1.99999.1.4 NAME 'memberOf' EQUALITY distinguishedNameMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 )",
  "attributetype ( 1.3.6.1.4.1.99999.1.5 NAME 'employeeID' EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )",
  "objectclass ( 1.3.6.1.4.1.99999.2.1 NAME 'user' SUP inetOrgPerson STRUCTURAL MAY ( sAMAccountName $ userPrincipalName $ userAccountControl $ memberOf $ employeeID ) )",
  '',
].join('\n');

/**
 * A private OpenLDAP server (Debian's `slapd`, installed by `.ci/run`) with a generated
 * configuration in a temp folder: plain LDAP (StartTLS offered) and LDAPS on free ports, a
 * certificate from a CA made at start, the inetOrgPerson schema plus the few Active Directory
 * attributes cxauth reads, and
 * self-service password changes. `stop()` kills it and removes the folder.
 */
export class SlapdServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'cxauth-slapd-'));
  readonly rootPassword = 'slapd-root-secret';
  ldapPort = 0;
  ldapsPort = 0;
  ca = '';
  private child?: ChildProcess;

  get ldapUrl(): string {
    return `ldap://127.0.0.1:${this.ldapPort}`;
  }

  get ldapsUrl(): string {
    return `ldaps://127.0.0.1:${this.ldapsPort}`;
  }

  async start(): Promise<void> {
    const tls = makeTestCertificates(this.dir);
    this.ca = readFileSync(tls.ca, 'utf8');
    mkdirSync(join(this.dir, 'data'), { recursive: true });
    const schema = (name: string) => `include /etc/ldap/schema/${name}.schema`;
    writeFileSync(join(this.dir, 'active-directory-test.schema'), ACTIVE_DIRECTORY_TEST_SCHEMA);
    writeFileSync(
      join(this.dir, 'slapd.conf'),
      [
        ...['core', 'cosine', 'inetorgperson', 'nis'].map(schema),
        `include ${join(this.dir, 'active-directory-test.schema')}`,
        'modulepath /usr/lib/ldap',
        'moduleload back_mdb',
        `pidfile ${join(this.dir, 'slapd.pid')}`,
        `TLSCACertificateFile ${tls.ca}`,
        `TLSCertificateFile ${tls.cert}`,
        `TLSCertificateKeyFile ${tls.key}`,
        'password-hash {SSHA}',
        'database mdb',
        'maxsize 10485760',
        `suffix "${SLAPD_SUFFIX}"`,
        `rootdn "${SLAPD_ROOT_DN}"`,
        `rootpw ${this.rootPassword}`,
        `directory ${join(this.dir, 'data')}`,
        'access to attrs=userPassword by self write by anonymous auth by * none',
        'access to * by users read by * none',
        '',
      ].join('\n'),
    );
    await this.launch();
  }

  /** Starts slapd again on the same ports (after `kill`), keeping its data. */
  async launch(): Promise<void> {
    this.ldapPort ||= await freePort();
    this.ldapsPort ||= await freePort();
    const child = spawn(
      existsSync('/usr/sbin/slapd') ? '/usr/sbin/slapd' : 'slapd',
      ['-f', join(this.dir, 'slapd.conf'), '-h', `${this.ldapUrl}/ ${this.ldapsUrl}/`, '-d', '0'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.child = child;
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 10_000;
    while (!(await accepts(this.ldapPort))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`slapd did not start: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Stops the server (connections are then refused) without removing its data. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A service account (`uid=cxauth`, `service-secret`), one user (`uid=lagent`, `lagent-Password!`,
 * in group `agents`), written as the root DN.
 */
export async function seedSampleDirectory(server: SlapdServer): Promise<void> {
  const client = new Client({ url: server.ldapUrl });
  try {
    await client.bind(SLAPD_ROOT_DN, server.rootPassword);
    await client.add(SLAPD_SUFFIX, { objectClass: ['dcObject', 'organization'], dc: 'example', o: 'Example' });
    await client.add(SLAPD_PEOPLE, { objectClass: 'organizationalUnit', ou: 'people' });
    await client.add(SLAPD_GROUPS, { objectClass: 'organizationalUnit', ou: 'groups' });
    await client.add(`uid=cxauth,${SLAPD_PEOPLE}`, {
      objectClass: 'inetOrgPerson',
      uid: 'cxauth',
      cn: 'cxauth',
      sn: 'service',
      userPassword: 'service-secret',
    });
    await client.add(`uid=lagent,${SLAPD_PEOPLE}`, {
      objectClass: 'inetOrgPerson',
      uid: 'lagent',
      cn: 'Lee Agent',
      givenName: 'Lee',
      sn: 'Agent',
      mail: 'lee.agent@example.com',
      employeeNumber: 'L-7',
      userPassword: 'lagent-Password!',
    });
    await client.add(`cn=agents,${SLAPD_GROUPS}`, {
      objectClass: 'groupOfNames',
      cn: 'agents',
      member: `uid=lagent,${SLAPD_PEOPLE}`,
    });
  } finally {
    await client.unbind();
  }
}

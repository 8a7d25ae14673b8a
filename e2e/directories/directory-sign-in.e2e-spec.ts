import { randomUUID } from 'node:crypto';
import supertest from 'supertest';
import { join } from 'node:path';
import { ConfigServerSim, loadSimData, startConfigServerSim } from '@cxauth/config-server-sim';
import { ConsulStandIn, SlapdServer } from '@cxauth/testing';
import {
  createClient,
  DirectoryStack,
  eventually,
  ldapDirectory,
  OPS,
  provision,
  seedLdap,
  startDirectoryStack,
} from './directory-stack';

const SAMPLE = loadSimData(join(__dirname, '../../tools/config-server-sim/sample-persons.json'));
const CONSUL_SERVICE = `tenant-${randomUUID()}-cfgmaster`;

/**
 * Contact centers whose users live in the Configuration Server (through the gateway simulator) and
 * in LDAP (a real slapd), signing in through auth-api with the password grant; Consul is a stand-in
 * (no Consul binary exists here) of exactly the health API and blocking queries the client uses.
 */
describe('sign-in through contact-center directories (real PostgreSQL, Redis, slapd; gateway simulator; Consul stand-in)', () => {
  let stack: DirectoryStack;
  let primary: ConfigServerSim;
  let backup: ConfigServerSim;
  let moved: ConfigServerSim;
  let discovered: ConfigServerSim;
  const slapd = new SlapdServer();
  const consul = new ConsulStandIn();
  let secret: string;
  const ids = {
    csEnv: randomUUID(),
    cs: randomUUID(),
    ldap: randomUUID(),
    consulEnv: randomUUID(),
    consulCc: randomUUID(),
  };

  const grant = (username: string, password: string) =>
    stack
      .http()
      .post('/auth/v3/oauth/token')
      .auth('directory-client', secret)
      .type('form')
      .send({ grant_type: 'password', username, password });
  const userinfo = (token: string, path = '/auth/v3/userinfo') =>
    stack.http().get(path).set('authorization', `Bearer ${token}`);
  const metrics = async () => (await fetch(`${stack.authApi.service.managementUrl}/metrics`)).text();

  beforeAll(async () => {
    const sim = () => startConfigServerSim({ data: structuredClone(SAMPLE) });
    [primary, backup, moved, discovered] = await Promise.all([sim(), sim(), sim(), sim()]);
    await slapd.start();
    await seedLdap(slapd);
    await consul.start();
    consul.setService(CONSUL_SERVICE, [{ address: '127.0.0.1', port: discovered.port }]);
    stack = await startDirectoryStack({ CONSUL_URL: consul.url, DIRECTORY_PROFILE_CACHE_SECONDS: '0' });
    secret = await createClient(stack, {
      client_id: 'directory-client',
      client_secret: 'directory-client-secret-1',
      authorizedGrantTypes: ['password', 'refresh_token'],
    });
    await provision(stack, 'post', '/environments', {
      id: ids.csEnv,
      username: 'default',
      password: 'password',
      appName: 'Cloud',
      remoteTimeout: 2,
      localTimeout: 1,
      configServers: [
        {
          primaryAddress: '127.0.0.1',
          primaryPort: primary.port,
          backupAddress: '127.0.0.1',
          backupPort: backup.port,
          locations: '/',
        },
      ],
    });
    await provision(stack, 'post', '/contact-centers', {
      id: ids.cs,
      environmentId: ids.csEnv,
      domains: ['cs100'],
      auth: 'configServer',
      directory: { configServer: { tenantDbid: 101, allowPasswordChange: true } },
    });
    await provision(stack, 'post', '/contact-centers', {
      id: ids.ldap,
      environmentId: ids.csEnv,
      domains: ['ldap100'],
      auth: 'ldap',
      directory: { ldap: ldapDirectory(slapd) },
    });
    await provision(stack, 'post', '/environments', {
      id: ids.consulEnv,
      username: 'default',
      password: 'password',
      appName: 'Cloud',
      configServers: [{ primaryAddress: `${CONSUL_SERVICE}.service.dc1.consul`, primaryPort: 8888, locations: '/' }],
    });
    await provision(stack, 'post', '/contact-centers', {
      id: ids.consulCc,
      environmentId: ids.consulEnv,
      domains: ['consul100'],
      auth: 'configServer',
    });
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    await Promise.allSettled([primary, backup, moved, discovered].map((sim) => sim?.close()));
    await consul.stop();
    await slapd.stop();
  });

  it('a Configuration Server person gets tokens whose userinfo carries the person’s fields and DBID', async () => {
    const token = await grant('cs100\\agent1', 'agent1-Password!');
    expect(token.status).toBe(200);
    expect(token.body.token_type).toBe('bearer');
    const details = await userinfo(token.body.access_token);
    expect(details.status).toBe(200);
    expect(details.body).toEqual({
      username: `${ids.cs}\\agent1`,
      authorities: ['ROLE_AGENT'],
      cmeUserName: 'agent1',
      loginName: 'agent1',
      dbid: 1001,
      contactCenterId: ids.cs,
      environmentId: ids.csEnv,
      properties: {
        tenantDBID: '101',
        employeeId: 'E-1001',
        agentLogins: '7001',
        firstName: 'Alice',
        lastName: 'Agent',
        email: 'alice.agent@example.com',
      },
    });
    const openid = await userinfo(token.body.access_token, '/auth/v3/openid/userinfo');
    expect(openid.body).toMatchObject({ dbid: 1001, given_name: 'Alice', email: 'alice.agent@example.com' });
    // A refresh reloads the person from the directory (jwt-bearer and token exchange use the same lookup).
    const refreshed = await stack
      .http()
      .post('/auth/v3/oauth/token')
      .auth('directory-client', secret)
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: token.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(primary.counts.get('/v1/persons')).toBeGreaterThanOrEqual(1);
  });

  it('an LDAP user gets tokens whose userinfo carries the LDAP attributes and group authorities', async () => {
    const token = await grant('ldap100\\lagent', 'lagent-Password!');
    expect(token.status).toBe(200);
    const details = await userinfo(token.body.access_token);
    expect(details.body).toMatchObject({
      username: `${ids.ldap}\\lagent`,
      authorities: ['ROLE_AGENT'],
      loginName: 'lagent',
      contactCenterId: ids.ldap,
      properties: {
        employeeId: 'L-7',
        groups: 'agents',
        firstName: 'Lee',
        lastName: 'Agent',
        email: 'lee.agent@example.com',
      },
    });
    expect(details.body).not.toHaveProperty('dbid');
  });

  it('wrong passwords, unknown and disabled people answer invalid_grant', async () => {
    for (const [username, password] of [
      ['cs100\\agent1', 'wrong'],
      ['cs100\\nobody', 'agent1-Password!'],
      ['cs100\\disabled1', 'disabled1-Password!'],
      ['ldap100\\lagent', 'wrong'],
      ['ldap100\\nobody', 'wrong'],
    ]) {
      const answer = await grant(username!, password!);
      expect({ username, status: answer.status, error: answer.body.error }).toEqual({
        username,
        status: 400,
        error: 'invalid_grant',
      });
    }
  });

  it('fails over to the backup gateway and back to the primary once it recovers', async () => {
    primary.resetCounts();
    backup.resetCounts();
    await primary.goDown('refuse');
    try {
      expect((await grant('cs100\\agent1', 'agent1-Password!')).status).toBe(200);
      expect(backup.counts.get('/v1/persons/authenticate')).toBe(1);
      expect(await metrics()).toMatch(
        new RegExp(`auth_cs_endpoint_failovers_total\\{[^}]*environment="${ids.csEnv}"[^}]*\\} 1`),
      );
    } finally {
      await primary.comeUp();
    }
    await eventually(async () => {
      expect((await grant('cs100\\agent1', 'agent1-Password!')).status).toBe(200);
      return (primary.counts.get('/v1/persons/authenticate') ?? 0) > 0;
    });
  });

  it('directory down: 503 temporarily_unavailable (never invalid_grant), for every sign-in path', async () => {
    await primary.goDown('refuse');
    await backup.goDown('unavailable');
    try {
      const answer = await grant('cs100\\agent1', 'agent1-Password!');
      expect(answer.status).toBe(503);
      expect(answer.body).toEqual({
        error: 'temporarily_unavailable',
        error_description: 'The user directory is unavailable; try again later',
      });
      expect(answer.headers['retry-after']).toBe('5');
      expect(answer.headers['cache-control']).toBe('no-store');
      // A wrong password is not "checked" either: the same 503.
      expect((await grant('cs100\\agent1', 'wrong')).status).toBe(503);
      expect(await metrics()).toMatch(/auth_cs_connection_timeouts_total\{[^}]*\} [1-9]/);
    } finally {
      await primary.comeUp();
      await backup.comeUp();
    }
    await slapd.kill();
    try {
      const answer = await grant('ldap100\\lagent', 'lagent-Password!');
      expect(answer.status).toBe(503);
      expect(answer.body.error).toBe('temporarily_unavailable');
    } finally {
      await slapd.launch();
    }
    expect((await grant('ldap100\\lagent', 'lagent-Password!')).status).toBe(200);
  });

  it('changes a Configuration Server person’s password through the directory (POST /auth/v3/change-password)', async () => {
    // The gateways' circuits may still be open from the outage test: wait until they have recovered.
    let token = await grant('cs100\\supervisor1', 'supervisor1-Password!');
    await eventually(async () => {
      if (token.status !== 200) token = await grant('cs100\\supervisor1', 'supervisor1-Password!');
      return token.status === 200;
    });
    const change = (oldPassword: string, newPassword: string) =>
      stack
        .http()
        .post('/auth/v3/change-password')
        .set('authorization', `Bearer ${token.body.access_token}`)
        .send({ data: { oldPassword, newPassword } });
    const wrong = await change('wrong-old-password', 'Brand-new-Password-1');
    expect(wrong.status).toBe(403);
    expect(wrong.body.status).toEqual({ code: 4, message: 'Unable to update password' });
    expect((await change('supervisor1-Password!', 'Brand-new-Password-1')).status).toBe(200);
    expect((await grant('cs100\\supervisor1', 'Brand-new-Password-1')).status).toBe(200);
    // Every token of the user was revoked by the change.
    expect((await userinfo(token.body.access_token)).status).toBe(401);
  });

  it('an environment change (a new gateway address) applies at the next sign-in, without a restart', async () => {
    moved.resetCounts();
    await provision(stack, 'put', `/environments/${ids.csEnv}`, {
      configServers: [{ primaryAddress: '127.0.0.1', primaryPort: moved.port, locations: '/' }],
    });
    expect((await grant('cs100\\agent1', 'agent1-Password!')).status).toBe(200);
    expect(moved.counts.get('/v1/persons/authenticate')).toBe(1);
  });

  it('a Consul-named Configuration Server resolves through Consul, and a Consul change moves traffic', async () => {
    expect((await grant('consul100\\agent1', 'agent1-Password!')).status).toBe(200);
    expect(discovered.counts.get('/v1/persons/authenticate')).toBe(1);
    const target = await startConfigServerSim({ data: structuredClone(SAMPLE) });
    try {
      consul.setService(CONSUL_SERVICE, [{ address: '127.0.0.1', port: target.port }]);
      await eventually(async () => {
        expect((await grant('consul100\\agent1', 'agent1-Password!')).status).toBe(200);
        return (target.counts.get('/v1/persons/authenticate') ?? 0) > 0;
      });
      expect(await metrics()).toMatch(
        new RegExp(`auth_consul_discovery_updates_total\\{[^}]*service="${CONSUL_SERVICE}"`),
      );
    } finally {
      await target.close();
    }
  });

  it('directory calls are in /metrics by environment, directory, operation and outcome', async () => {
    const text = await metrics();
    expect(text).toMatch(
      new RegExp(
        `auth_directory_request_duration_seconds_count\\{[^}]*environment="${ids.csEnv}",directory="configServer",operation="authenticate",outcome="success"`,
      ),
    );
    expect(text).toMatch(/auth_directory_request_duration_seconds_count\{[^}]*directory="ldap"[^}]*outcome="rejected"/);
    expect(text).toMatch(/auth_directory_request_duration_seconds_count\{[^}]*outcome="unavailable"/);
  });

  describe('directory settings in environment-api: validated on write, secrets never answered', () => {
    const contactCenter = (data: Record<string, unknown>) =>
      stack
        .http()
        .post('/environment/v3/contact-centers')
        .auth(OPS.username, OPS.password)
        .send({
          data: { environmentId: ids.csEnv, domains: [`d${Date.now()}${Math.floor(Math.random() * 1e6)}`], ...data },
        });

    it('GET shows the LDAP settings without the bind password, stored encrypted', async () => {
      const view = await stack
        .http()
        .get(`/environment/v3/contact-centers/${ids.ldap}`)
        .auth(OPS.username, OPS.password);
      expect(view.body.data.directory.ldap).toMatchObject({ urls: [slapd.ldapsUrl], bindPasswordSet: true });
      expect(JSON.stringify(view.body)).not.toContain('service-secret');
      const [row] = await stack.database.query<{ directory: { ldap: Record<string, unknown> } }>(
        'SELECT directory FROM contact_center WHERE id = $1',
        [ids.ldap],
      );
      expect(JSON.stringify(row)).not.toContain('service-secret');
      expect(row!.directory.ldap.bindPasswordEncrypted).toMatch(/^v2:/);
    });

    const ldapWith = (changes: Record<string, unknown>) => () => ({
      auth: 'ldap',
      directory: { ldap: { ...ldapDirectory(slapd), ...changes } },
    });
    it.each<[string, () => Record<string, unknown>, string]>([
      ['auth ldap without LDAP settings', () => ({ auth: 'ldap' }), 'data.directory.ldap'],
      ['an unknown auth', () => ({ auth: 'kerberos' }), 'data.auth'],
      ['a non-LDAP URL', ldapWith({ urls: ['http://x'] }), 'urls'],
      ['a filter without {username}', ldapWith({ userFilter: '(uid=x)' }), 'userFilter'],
      ['a broken filter', ldapWith({ userFilter: '(uid={username}' }), 'userFilter'],
      ['a CA that is not a certificate', ldapWith({ caCertificate: 'junk' }), 'caCertificate'],
      ['search mode without a bind DN', ldapWith({ bindDn: undefined }), 'bindDn'],
      ['search mode without a bind password', ldapWith({ bindPassword: undefined }), 'bindPassword'],
      ['direct mode without a DN template', ldapWith({ bindMode: 'direct' }), 'userDnTemplate'],
      ['a wrong type', ldapWith({ poolSize: 'many' }), 'poolSize'],
      ['an unknown field', ldapWith({ colour: 'blue' }), 'colour'],
      ['a bad tenant DBID', () => ({ directory: { configServer: { tenantDbid: -1 } } }), 'tenantDbid'],
    ])('refuses %s with 400 (code 2)', async (_name, data, field) => {
      const answer = await contactCenter(data());
      expect(answer.status).toBe(400);
      expect(answer.body.status.code).toBe(2);
      expect(JSON.stringify(answer.body.status)).toContain(field);
    });

    it('refuses a huge body with 413', async () => {
      const answer = await supertest(stack.environmentApi.service.url)
        .post('/environment/v3/contact-centers')
        .auth(OPS.username, OPS.password)
        .send({
          data: { ...ldapWith({ caCertificate: 'x'.repeat(200_000) })(), environmentId: ids.csEnv, domains: ['huge'] },
        });
      expect(answer.status).toBe(413);
      expect(answer.body.status.code).toBe(7);
    });

    it('a PUT without bindPassword keeps the stored one; switching to local ignores the directory', async () => {
      await provision(stack, 'put', `/contact-centers/${ids.ldap}`, {
        directory: { ldap: { ...ldapDirectory(slapd), bindPassword: undefined, defaultAuthorities: ['ROLE_LDAP'] } },
      });
      const token = await grant('ldap100\\lagent', 'lagent-Password!');
      expect(token.status).toBe(200);
      expect((await userinfo(token.body.access_token)).body.authorities).toEqual(['ROLE_LDAP', 'ROLE_AGENT']);
      await provision(stack, 'put', `/contact-centers/${ids.ldap}`, { auth: 'local' });
      try {
        expect((await grant('ldap100\\lagent', 'lagent-Password!')).status).toBe(400);
      } finally {
        await provision(stack, 'put', `/contact-centers/${ids.ldap}`, { auth: 'ldap' });
      }
    });
  });
});

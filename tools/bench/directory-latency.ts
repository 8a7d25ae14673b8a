/**
 * `npm run bench:directories`: sign-in latency (password grant, end to end) through each user
 * directory — local (argon2id), Configuration Server (through the gateway simulator), LDAP (a private
 * slapd, LDAPS, search-then-bind with a group search) — on the built auth-api with real PostgreSQL and
 * Redis. Sequential requests after a warm-up; prints and writes p50 / p90 / p99 in ms to
 * bench-results/directory-latency.json. Numbers from this shared machine swing 10–25 % between runs.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { loadSimData, startConfigServerSim } from '../config-server-sim/config-server-sim';
import {
  ContactCenterDomainEntity,
  ContactCenterEntity,
  ENVIRONMENT_ENTITIES,
  ENVIRONMENT_PASSWORD_SEAL,
  EnvironmentEntity,
  LDAP_BIND_PASSWORD_SEAL,
} from '@cxauth/persistence';
import { SecretBox } from '@cxauth/platform';
import { SLAPD_GROUPS, SLAPD_PEOPLE, SlapdServer, seedSampleDirectory } from '@cxauth/testing';
import { cleanUp, infrastructureFromEnv, startAuthApi } from './auth-api-target';
import { provisionLocalUser } from './local-user';

const ROOT = resolve(__dirname, '..', '..', '..');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { requests: { type: 'string', default: '300' } } });
  const requests = Number(values.requests);
  const outDir = join(ROOT, 'bench-results');
  mkdirSync(outDir, { recursive: true });
  const infrastructure = infrastructureFromEnv();
  const encryptionKey = randomBytes(32).toString('base64');
  const sim = await startConfigServerSim({
    data: loadSimData(join(ROOT, 'tools/config-server-sim/sample-persons.json')),
  });
  const slapd = new SlapdServer();
  await slapd.start();
  await seedSampleDirectory(slapd);
  const handle = await startAuthApi({
    infrastructure,
    logDir: outDir,
    extraEnv: { ENCRYPTION_KEY: encryptionKey, DIRECTORY_PROFILE_CACHE_SECONDS: '0' },
  });
  const databaseUrl = new URL(infrastructure.databaseAdminUrl);
  databaseUrl.pathname = `/${handle.databaseName}`;
  try {
    const local = await provisionLocalUser(handle, databaseUrl.toString());
    const secrets = new SecretBox({ ENCRYPTION_KEY: encryptionKey });
    const source = await new DataSource({
      type: 'postgres',
      url: databaseUrl.toString(),
      entities: ENVIRONMENT_ENTITIES,
    }).initialize();
    try {
      const environmentId = randomUUID();
      await source.getRepository(EnvironmentEntity).insert({
        id: environmentId,
        username: 'default',
        passwordEncrypted: secrets.seal('password', { purpose: ENVIRONMENT_PASSWORD_SEAL, id: environmentId }),
        appName: 'Cloud',
        tlsEnabled: false,
        configServers: [{ primaryAddress: '127.0.0.1', primaryPort: sim.port, readOnly: false, locations: '/' }],
      });
      const configServerId = randomUUID();
      const ldapId = randomUUID();
      await source.getRepository(ContactCenterEntity).insert([
        { id: configServerId, environmentId, auth: 'configServer', directory: null },
        {
          id: ldapId,
          environmentId,
          auth: 'ldap',
          directory: {
            ldap: {
              urls: [slapd.ldapsUrl],
              startTls: false,
              caCertificate: slapd.ca,
              bindMode: 'search',
              bindDn: `uid=cxauth,${SLAPD_PEOPLE}`,
              bindPasswordEncrypted: secrets.seal('service-secret', { purpose: LDAP_BIND_PASSWORD_SEAL, id: ldapId }),
              userBaseDn: SLAPD_PEOPLE,
              groupBaseDn: SLAPD_GROUPS,
              groupAuthorities: { agents: ['ROLE_AGENT'] },
              defaultAuthorities: [],
              activeDirectory: false,
              allowPasswordChange: false,
            },
          },
        },
      ]);
      await source.getRepository(ContactCenterDomainEntity).insert([
        { domain: 'csbench', contactCenterId: configServerId },
        { domain: 'ldapbench', contactCenterId: ldapId },
      ]);
    } finally {
      await source.destroy();
    }
    const client = await fetch(new URL('/auth/v3/ops/clients', handle.baseUrl), {
      method: 'POST',
      headers: { authorization: handle.opsAuthorization, 'content-type': 'application/json' },
      body: JSON.stringify({
        data: {
          client_id: 'bench-directories',
          client_secret: 'bench-directories-secret',
          authorizedGrantTypes: ['password'],
        },
      }),
    });
    if (client.status !== 200) throw new Error(`create client: ${client.status} ${await client.text()}`);
    const basic = `Basic ${Buffer.from('bench-directories:bench-directories-secret').toString('base64')}`;
    const signIn = async (username: string, password: string) => {
      const started = performance.now();
      const answer = await fetch(new URL('/auth/v3/oauth/token', handle.baseUrl), {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', username, password }),
      });
      await answer.arrayBuffer();
      if (answer.status !== 200) throw new Error(`${username}: ${answer.status}`);
      return performance.now() - started;
    };
    const scenarios: [string, string, string][] = [
      ['local (argon2id)', local.username, local.password],
      ['Configuration Server (gateway simulator, HTTP)', 'csbench\\agent1', 'agent1-Password!'],
      ['LDAP (slapd, LDAPS, search + bind + group search)', 'ldapbench\\lagent', 'lagent-Password!'],
    ];
    const results = [];
    for (const [name, username, password] of scenarios) {
      for (let warm = 0; warm < 20; warm++) await signIn(username, password);
      const times: number[] = [];
      for (let index = 0; index < requests; index++) times.push(await signIn(username, password));
      times.sort((a, b) => a - b);
      const row = {
        directory: name,
        requests,
        p50: +percentile(times, 50).toFixed(1),
        p90: +percentile(times, 90).toFixed(1),
        p99: +percentile(times, 99).toFixed(1),
      };
      results.push(row);
      console.log(`${name}: p50 ${row.p50} ms, p90 ${row.p90} ms, p99 ${row.p99} ms (${requests} sequential sign-ins)`);
    }
    writeFileSync(
      join(outDir, 'directory-latency.json'),
      JSON.stringify({ at: new Date().toISOString(), results }, null, 2),
    );
  } finally {
    await handle.process.stop();
    await cleanUp(infrastructure, handle.databaseName, [handle.redisKeyPrefix]);
    await sim.close();
    await slapd.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { ConfigServerSim, loadSimData, startConfigServerSim } from '@cxauth/config-server-sim';
import { DirectoryUnavailableException } from '@cxauth/domain';
import { makeTestCertificates } from '@cxauth/testing';
import {
  ConfigServerGatewayDirectory,
  ConfigServerGatewaySettings,
  DirectoryMetrics,
  StaticEndpoints,
} from '@cxauth/directories';

const SAMPLE = loadSimData(join(__dirname, '../../tools/config-server-sim/sample-persons.json'));

/** Polls `check` until it holds (bounded): probes run on timers. */
async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('ConfigServerGatewayDirectory against the gateway simulator (real HTTP)', () => {
  let primary: ConfigServerSim;
  let backup: ConfigServerSim;
  let registry: Registry;
  let metrics: DirectoryMetrics;
  const directories: ConfigServerGatewayDirectory[] = [];

  const directory = (overrides: Partial<ConfigServerGatewaySettings> = {}) => {
    const created = new ConfigServerGatewayDirectory(
      {
        environmentId: 'env-1',
        endpoints: new StaticEndpoints([
          { host: primary.host, port: primary.port },
          { host: backup.host, port: backup.port },
        ]),
        username: 'default',
        password: 'password',
        appName: 'Cloud',
        tls: false,
        requestTimeoutMs: 1_500,
        healthTimeoutMs: 1_000,
        allowPasswordChange: true,
        profileTtlMs: 60_000,
        failureThreshold: 1,
        probeIntervalMs: 200,
        ...overrides,
      },
      { metrics },
    );
    directories.push(created);
    return created;
  };

  const metric = async (name: string, labels: Record<string, string>) => {
    const found = (await registry.getSingleMetric(name)?.get())?.values.find((value) =>
      Object.entries(labels).every(([key, expected]) => value.labels[key] === expected),
    );
    return found?.value ?? 0;
  };

  beforeEach(async () => {
    primary = await startConfigServerSim({ data: structuredClone(SAMPLE) });
    backup = await startConfigServerSim({ data: structuredClone(SAMPLE) });
    registry = new Registry();
    metrics = new DirectoryMetrics(registry);
  });

  afterEach(async () => {
    await Promise.all(directories.splice(0).map((created) => created.close()));
    await Promise.all([primary.close(), backup.close()]);
  });

  it('authenticates a person and maps the Configuration Server fields', async () => {
    const outcome = await directory().authenticate('agent1', 'agent1-Password!');
    expect(outcome).toEqual({
      status: 'authenticated',
      person: {
        userName: 'agent1',
        dbid: 1001,
        firstName: 'Alice',
        lastName: 'Agent',
        email: 'alice.agent@example.com',
        employeeId: 'E-1001',
        authorities: ['ROLE_AGENT'],
        properties: { tenantDBID: '101', employeeId: 'E-1001', agentLogins: '7001' },
      },
    });
    const supervisor = await directory().authenticate('SUPERVISOR1', 'supervisor1-Password!');
    expect(supervisor.status === 'authenticated' && supervisor.person.authorities).toEqual([
      'ROLE_AGENT',
      'ROLE_SUPERVISOR',
    ]);
    const count = (await registry.getSingleMetric('auth_directory_request_duration_seconds')?.get())?.values.find(
      (value) =>
        (value as { metricName?: string }).metricName === 'auth_directory_request_duration_seconds_count' &&
        value.labels.outcome === 'success',
    );
    expect(count?.value).toBe(2);
  });

  it('rejects a wrong password, an unknown, a disabled and a rejected person alike', async () => {
    const gateway = directory();
    primary.reject('supervisor1');
    const outcomes = await Promise.all([
      gateway.authenticate('agent1', 'wrong'),
      gateway.authenticate('nobody', 'agent1-Password!'),
      gateway.authenticate('disabled1', 'disabled1-Password!'),
      gateway.authenticate('supervisor1', 'supervisor1-Password!'),
    ]);
    expect(outcomes).toEqual([
      { status: 'rejected' },
      { status: 'rejected' },
      { status: 'rejected' },
      { status: 'rejected' },
    ]);
    expect(await gateway.authenticate('expired1', 'expired1-Password!')).toEqual({ status: 'password-expired' });
  });

  it('a person of another Configuration Server tenant does not belong to the contact center', async () => {
    expect(await directory({ tenantDbid: 999 }).authenticate('agent1', 'agent1-Password!')).toEqual({
      status: 'rejected',
    });
    expect(await directory({ tenantDbid: 999 }).findByUserName('agent1')).toBeNull();
  });

  it('wrong environment credentials are an outage, never a wrong password', async () => {
    await expect(
      directory({ password: 'not-the-password' }).authenticate('agent1', 'agent1-Password!'),
    ).rejects.toThrow(DirectoryUnavailableException);
    await expect(directory({ appName: 'Other' }).findByUserName('agent1')).rejects.toThrow(/appName/);
  });

  it('fails over to the backup when the primary refuses connections, and back once it recovers', async () => {
    const gateway = directory();
    expect((await gateway.authenticate('agent1', 'agent1-Password!')).status).toBe('authenticated');
    expect(primary.counts.get('/v1/persons/authenticate')).toBe(1);

    await primary.goDown('refuse');
    expect((await gateway.authenticate('agent1', 'agent1-Password!')).status).toBe('authenticated');
    expect(backup.counts.get('/v1/persons/authenticate')).toBe(1);
    expect(await metric('auth_cs_endpoint_failovers_total', { environment: 'env-1' })).toBe(1);
    expect(await metric('auth_cs_connection_timeouts_total', { environment: 'env-1' })).toBe(1);
    // The primary's circuit is open: the next sign-in goes straight to the backup.
    expect((await gateway.authenticate('agent1', 'agent1-Password!')).status).toBe('authenticated');
    expect(backup.counts.get('/v1/persons/authenticate')).toBe(2);
    expect(await metric('auth_cs_endpoint_failovers_total', { environment: 'env-1' })).toBe(1);

    await primary.comeUp();
    // A health probe (GET /v1/health) closes the primary's circuit; traffic returns to it.
    await eventually(() => (primary.counts.get('/v1/health') ?? 0) > 0);
    await eventually(async () => {
      await gateway.authenticate('agent1', 'agent1-Password!');
      return (primary.counts.get('/v1/persons/authenticate') ?? 0) >= 2;
    });
  });

  it('fails over when the primary answers 503 (its Configuration Server is down) or too slowly', async () => {
    const gateway = directory({ requestTimeoutMs: 400 });
    await primary.goDown('unavailable');
    expect((await gateway.authenticate('agent1', 'agent1-Password!')).status).toBe('authenticated');
    expect(backup.counts.get('/v1/persons/authenticate')).toBe(1);

    const slow = directory({ requestTimeoutMs: 400, probeIntervalMs: 60_000 });
    await primary.comeUp();
    primary.slowDown(2_000);
    expect((await slow.authenticate('agent1', 'agent1-Password!')).status).toBe('authenticated');
    expect(await metric('auth_cs_command_timeouts_total', { environment: 'env-1' })).toBe(1);
  });

  it('throws DirectoryUnavailableException when every endpoint is down, fast once the circuits are open', async () => {
    const gateway = directory({ requestTimeoutMs: 1_000, probeIntervalMs: 60_000 });
    await primary.goDown('refuse');
    await backup.goDown('unavailable');
    await expect(gateway.authenticate('agent1', 'agent1-Password!')).rejects.toThrow(DirectoryUnavailableException);
    const started = Date.now();
    await expect(gateway.authenticate('agent1', 'agent1-Password!')).rejects.toThrow(/circuit open/);
    // No endpoint is even tried: far below one request timeout.
    expect(Date.now() - started).toBeLessThan(500);
    expect(await metric('auth_cs_connection_timeouts_total', { environment: 'env-1' })).toBe(1);
  });

  it('serves profiles from its short-lived cache (never a password check) while the gateway is down', async () => {
    const gateway = directory({ probeIntervalMs: 60_000 });
    expect(await gateway.findByUserName('AGENT1')).toMatchObject({ dbid: 1001, firstName: 'Alice' });
    expect(await gateway.findByUserName('nobody')).toBeNull();
    await primary.goDown('refuse');
    await backup.goDown('refuse');
    expect(await gateway.findByUserName('agent1')).toMatchObject({ dbid: 1001 });
    await expect(gateway.authenticate('agent1', 'agent1-Password!')).rejects.toThrow(DirectoryUnavailableException);
    const expired = directory({ profileTtlMs: 1 });
    await expect(expired.findByUserName('agent1')).rejects.toThrow(DirectoryUnavailableException);
  });

  it('changes a password where allowed, and refuses a wrong old one or a policy violation', async () => {
    const gateway = directory();
    expect(await gateway.changePassword('agent1', 'wrong', 'new-Password-1')).toBe('rejected');
    expect(await gateway.changePassword('agent1', 'agent1-Password!', 'short')).toBe('policy');
    expect(await gateway.changePassword('agent1', 'agent1-Password!', 'new-Password-1')).toBe('changed');
    expect((await gateway.authenticate('agent1', 'new-Password-1')).status).toBe('authenticated');
    expect(await directory({ allowPasswordChange: false }).changePassword('agent1', 'new-Password-1', 'x')).toBe(
      'not-allowed',
    );
  });

  it('behind a central gateway, names the selected endpoint in X-Cfg-Server', async () => {
    const central = directory({
      centralGatewayUrl: `${primary.url}/`,
      endpoints: new StaticEndpoints([{ host: '172.24.132.84', port: 2020 }]),
    });
    expect((await central.authenticate('agent1', 'agent1-Password!')).status).toBe('authenticated');
    expect(primary.counts.get('/v1/persons/authenticate')).toBe(1);
    expect([...primary.configServersSeen]).toEqual(['172.24.132.84:2020']);
  });

  describe('over TLS', () => {
    let dir: string;
    let tlsSim: ConfigServerSim;
    let ca: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'cxauth-gateway-tls-'));
      const files = makeTestCertificates(dir);
      ca = readFileSync(files.ca, 'utf8');
      tlsSim = await startConfigServerSim({
        data: structuredClone(SAMPLE),
        host: '127.0.0.1',
        tls: { key: readFileSync(files.key, 'utf8'), cert: readFileSync(files.cert, 'utf8') },
      });
    });

    afterAll(async () => {
      await tlsSim.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('verifies the gateway against the configured CA, and refuses an unknown issuer', async () => {
      const endpoints = new StaticEndpoints([{ host: '127.0.0.1', port: tlsSim.port }]);
      expect((await directory({ endpoints, tls: true, ca }).authenticate('agent1', 'agent1-Password!')).status).toBe(
        'authenticated',
      );
      await expect(directory({ endpoints, tls: true }).authenticate('agent1', 'agent1-Password!')).rejects.toThrow(
        DirectoryUnavailableException,
      );
    });
  });
});

import { join } from 'node:path';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Registry } from 'prom-client';
import { ConfigServerSim, loadSimData, startConfigServerSim } from '@cxauth/config-server-sim';
import { DirectoryUnavailableException } from '@cxauth/domain';
import { ConsulStandIn, makeTestCertificates } from '@cxauth/testing';
import {
  ConfigServerGatewayDirectory,
  ConsulDiscovery,
  DirectoryMetrics,
  parseConsulServiceName,
} from '@cxauth/directories';

const SAMPLE = loadSimData(join(__dirname, '../../tools/config-server-sim/sample-persons.json'));
const SERVICE = 'tenant-9350e2fc-0000-4000-8000-000000000001-cfgmaster';

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('Consul discovery against a Consul stand-in (blocking queries, ACL token, HTTPS)', () => {
  let dir: string;
  let consul: ConsulStandIn;
  let first: ConfigServerSim;
  let second: ConfigServerSim;
  let metrics: DirectoryMetrics;
  let registry: Registry;
  let discovery: ConsulDiscovery;
  let ca: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cxauth-consul-'));
    const files = makeTestCertificates(dir);
    ca = readFileSync(files.ca, 'utf8');
    consul = new ConsulStandIn({
      token: 'acl-token-1',
      datacenter: 'dc1',
      tls: { key: readFileSync(files.key, 'utf8'), cert: readFileSync(files.cert, 'utf8') },
    });
    await consul.start();
  });

  beforeEach(async () => {
    first = await startConfigServerSim({ data: structuredClone(SAMPLE) });
    second = await startConfigServerSim({ data: structuredClone(SAMPLE) });
    consul.setService(SERVICE, [{ address: '127.0.0.1', port: first.port }]);
    registry = new Registry();
    metrics = new DirectoryMetrics(registry);
    discovery = new ConsulDiscovery(
      { url: consul.url, token: 'acl-token-1', ca, waitSeconds: 30, initialTimeoutMs: 3_000 },
      metrics,
    );
  });

  afterEach(async () => {
    discovery.close();
    await Promise.all([first.close(), second.close()]);
  });

  afterAll(async () => {
    await consul.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const gateway = () =>
    new ConfigServerGatewayDirectory(
      {
        environmentId: 'env-consul',
        endpoints: discovery.source(parseConsulServiceName(`${SERVICE}.service.dc1.consul`)!),
        username: 'default',
        password: 'password',
        appName: 'Cloud',
        tls: false,
        requestTimeoutMs: 1_000,
        healthTimeoutMs: 1_000,
        allowPasswordChange: false,
        profileTtlMs: 1,
        failureThreshold: 1,
        probeIntervalMs: 200,
      },
      { metrics },
    );

  it('resolves a .service.<dc>.consul address through the health API with the token and datacenter', async () => {
    const directory = gateway();
    try {
      expect((await directory.authenticate('agent1', 'agent1-Password!')).status).toBe('authenticated');
      expect(first.counts.get('/v1/persons/authenticate')).toBe(1);
      const query = consul.requests.find((request) => request.path === `/v1/health/service/${SERVICE}`)!;
      expect(query.token).toBe('acl-token-1');
      expect(query.query.get('passing')).toBe('true');
      expect(query.query.get('dc')).toBe('dc1');
    } finally {
      await directory.close();
    }
  });

  it('a Consul change moves traffic to the new gateway address without a restart (blocking query wakes up)', async () => {
    const directory = gateway();
    try {
      expect((await directory.authenticate('agent1', 'agent1-Password!')).status).toBe('authenticated');
      const before = consul.requests.length;
      consul.setService(SERVICE, [{ address: '127.0.0.1', port: second.port }]);
      await eventually(async () => {
        await directory.authenticate('agent1', 'agent1-Password!');
        return (second.counts.get('/v1/persons/authenticate') ?? 0) > 0;
      });
      // The watch sent its index back: a blocking query, not polling.
      const blocking = consul.requests.slice(before).filter((request) => Number(request.query.get('index')) > 0);
      expect(blocking.length).toBeGreaterThan(0);
      expect(blocking[0]!.query.get('wait')).toBe('30s');
      expect((await registry.getSingleMetric('auth_consul_discovery_endpoints')?.get())?.values[0]?.value).toBe(1);
    } finally {
      await directory.close();
    }
  });

  it('keeps the last known endpoints while Consul is unreachable', async () => {
    const directory = gateway();
    try {
      expect((await directory.authenticate('agent1', 'agent1-Password!')).status).toBe('authenticated');
      await consul.stop();
      await eventually(async () => {
        const errors = (await registry.getSingleMetric('auth_consul_discovery_errors_total')?.get())?.values[0]?.value;
        return (errors ?? 0) > 0;
      });
      expect((await directory.authenticate('agent1', 'agent1-Password!')).status).toBe('authenticated');
    } finally {
      await directory.close();
      await consul.start();
    }
  });

  it('no passing instance (or a wrong ACL token) is an outage', async () => {
    consul.setService(SERVICE, [{ address: '127.0.0.1', port: first.port, passing: false }]);
    const directory = gateway();
    try {
      await expect(directory.authenticate('agent1', 'agent1-Password!')).rejects.toThrow(DirectoryUnavailableException);
    } finally {
      await directory.close();
    }
    const wrongToken = new ConsulDiscovery(
      { url: consul.url, token: 'wrong', ca, waitSeconds: 30, initialTimeoutMs: 500 },
      metrics,
    );
    try {
      expect(await wrongToken.source({ service: SERVICE }).endpoints()).toEqual([]);
    } finally {
      wrongToken.close();
    }
  });
});

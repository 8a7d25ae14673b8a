import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { freePort, RedisServers } from '@cxauth/testing';
import { createRedisClient, RedisClient, redisConfigSchema } from '@cxauth/platform';

async function roundTrip(client: RedisClient, key: string): Promise<string | null> {
  await client.set(key, 'value', 'EX', 30);
  return client.get(key);
}

// Real redis-server processes: TLS with a private CA and a password, Sentinel, and a 3-node Cluster.
describe('Redis connection modes', () => {
  const servers = new RedisServers();
  const clients: RedisClient[] = [];
  const connect = (env: Record<string, string>) => {
    const client = createRedisClient(redisConfigSchema.parse(env), 'test', () => undefined);
    clients.push(client);
    return client;
  };

  afterAll(async () => {
    for (const client of clients) client.disconnect();
    servers.stop();
  });

  it('connects over TLS (rediss://) with the CA file and password, and refuses without the CA', async () => {
    const tls = servers.makeTlsFiles();
    const port = await freePort();
    await servers.start(
      [
        '--port',
        '0',
        '--tls-port',
        String(port),
        '--tls-cert-file',
        tls.cert,
        '--tls-key-file',
        tls.key,
        '--tls-ca-cert-file',
        tls.ca,
        '--tls-auth-clients',
        'no',
        '--requirepass',
        'tls-secret',
      ],
      port,
    );
    const client = connect({
      REDIS_URL: `rediss://localhost:${port}`,
      REDIS_PASSWORD: 'tls-secret',
      REDIS_TLS_CA_FILE: tls.ca,
    });
    expect(await roundTrip(client, 'tls')).toBe('value');

    const untrusted = connect({ REDIS_URL: `rediss://:tls-secret@localhost:${port}`, REDIS_COMMAND_TIMEOUT_MS: '500' });
    await expect(untrusted.ping()).rejects.toThrow();

    const wrongPassword = connect({ REDIS_URL: `rediss://:nope@localhost:${port}`, REDIS_TLS_CA_FILE: tls.ca });
    await expect(wrongPassword.ping()).rejects.toThrow(/WRONGPASS|NOAUTH|invalid/i);
  });

  it('finds the master through Sentinel', async () => {
    const masterPort = await freePort();
    const sentinelPort = await freePort();
    await servers.start(['--port', String(masterPort), '--bind', '127.0.0.1'], masterPort);
    const sentinelConfig = `${servers.dir}/sentinel.conf`;
    writeFileSync(
      sentinelConfig,
      `port ${sentinelPort}\nbind 127.0.0.1\nsentinel monitor mymaster 127.0.0.1 ${masterPort} 1\n`,
    );
    await servers.start([sentinelConfig, '--sentinel'], sentinelPort, 'Sentinel ID is');
    const client = connect({
      REDIS_URL: 'redis://sentinel',
      REDIS_MODE: 'sentinel',
      REDIS_NODES: `127.0.0.1:${sentinelPort}`,
      REDIS_SENTINEL_MASTER: 'mymaster',
    });
    expect(await roundTrip(client, 'sentinel')).toBe('value');
    expect(await client.config('GET', 'port')).toEqual(['port', String(masterPort)]);
  });

  it('spreads keys over a 3-node Cluster', async () => {
    const ports = [await freePort(), await freePort(), await freePort()];
    for (const port of ports) {
      await servers.start(
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
        ],
        port,
      );
    }
    execFileSync(
      'redis-cli',
      ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'],
      { stdio: 'ignore' },
    );
    for (let attempt = 0; attempt < 50; attempt++) {
      const info = execFileSync('redis-cli', ['-p', String(ports[0]), 'cluster', 'info']).toString();
      if (info.includes('cluster_state:ok')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const client = connect({
      REDIS_URL: 'redis://cluster',
      REDIS_MODE: 'cluster',
      REDIS_NODES: ports.map((port) => `127.0.0.1:${port}`).join(','),
    });
    const keys = Array.from({ length: 20 }, (_, index) => `cluster-key-${index}`);
    for (const key of keys) expect(await roundTrip(client, key)).toBe('value');
    const perNode = ports.map((port) =>
      Number(
        execFileSync('redis-cli', ['-p', String(port), 'dbsize'])
          .toString()
          .trim(),
      ),
    );
    expect(perNode.reduce((sum, count) => sum + count, 0)).toBe(keys.length);
    expect(perNode.filter((count) => count > 0).length).toBeGreaterThan(1);
  }, 30_000);
});

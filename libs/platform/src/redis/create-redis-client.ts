import { readFileSync } from 'node:fs';
import Redis, { Cluster, RedisOptions } from 'ioredis';
import type { RedisConfig } from '../config/config.schema';
import { CoalescingRedis } from './coalescing-redis';

export type RedisClient = Redis | Cluster;

interface HostPort {
  host: string;
  port: number;
}

function parseNodes(nodes: string | undefined, fallback: URL): HostPort[] {
  if (!nodes) return [{ host: fallback.hostname, port: Number(fallback.port || 6379) }];
  return nodes.split(',').map((node) => {
    const [host = '', port = '6379'] = node.split(':');
    return { host, port: Number(port) };
  });
}

/**
 * One ioredis client for standalone, Sentinel or Cluster Redis, with TLS (`rediss://`, optional CA
 * file) and password. Commands fail fast while Redis is away instead of queueing without bound.
 * Standalone and Sentinel clients send each event-loop turn's commands in one write (CoalescingRedis);
 * in Cluster mode ioredis creates the node connections itself, so commands are written one by one.
 */
export function createRedisClient(
  config: RedisConfig,
  purpose = 'main',
  onError: (error: Error) => void = () => undefined,
): RedisClient {
  const client = connect(config, purpose);
  // Without a listener ioredis prints every reconnect failure; the service logs them instead.
  client.on('error', onError);
  return client;
}

function connect(config: RedisConfig, purpose: string): RedisClient {
  const url = new URL(config.REDIS_URL);
  if (url.protocol === 'memory:') {
    // The embedded local run (allowed by config only with REDIS_ALLOW_IN_MEMORY): an in-process store
    // with the ioredis API (pub/sub included); a devDependency, absent from the production images.
    const RedisMock = require('ioredis-mock') as typeof Redis;
    return new RedisMock({ keyPrefix: config.REDIS_KEY_PREFIX, host: url.hostname || 'local' });
  }
  const password = config.REDIS_PASSWORD ?? (url.password ? decodeURIComponent(url.password) : undefined);
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const tls =
    url.protocol === 'rediss:'
      ? { ca: config.REDIS_TLS_CA_FILE ? readFileSync(config.REDIS_TLS_CA_FILE) : undefined, servername: url.hostname }
      : undefined;
  const common: RedisOptions = {
    username,
    password,
    tls,
    keyPrefix: config.REDIS_KEY_PREFIX,
    connectionName: `cxauth-${purpose}`,
    connectTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
    commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
    // A command in flight when the connection drops fails at once (503) rather than waiting for a
    // reconnect attempt to fail too (1 retry took 50–150 ms more); it is never resent, so a write is
    // answered 503 and its caller retries.
    maxRetriesPerRequest: 0,
    // Reconnect attempts at most 200 ms apart, so service resumes within about 200 ms of Redis returning.
    retryStrategy: (attempt) => Math.min(attempt * 50, 200),
    lazyConnect: false,
  };
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;

  switch (config.REDIS_MODE) {
    case 'sentinel':
      return new CoalescingRedis({
        ...common,
        db,
        sentinels: parseNodes(config.REDIS_NODES, url),
        name: config.REDIS_SENTINEL_MASTER,
        sentinelPassword: password,
        enableTLSForSentinelMode: Boolean(tls),
      });
    case 'cluster':
      return new Cluster(parseNodes(config.REDIS_NODES, url), {
        keyPrefix: config.REDIS_KEY_PREFIX,
        redisOptions: { ...common, keyPrefix: undefined },
        dnsLookup: (address, callback) => callback(null, address),
        clusterRetryStrategy: (attempt) => Math.min(attempt * 50, 200),
      });
    default:
      return new CoalescingRedis(url.port ? Number(url.port) : 6379, url.hostname, { ...common, db });
  }
}

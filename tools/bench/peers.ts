import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort, ManagedProcess, startNode, waitForHttp } from './processes';

export interface PeerHandle {
  id: string;
  label: string;
  process: ManagedProcess;
  baseUrl: string;
  redisKeyPrefix?: string;
}

const baseEnv = () => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: process.env.HOME ?? '/tmp',
  NODE_ENV: 'production',
});

/** node-oidc-provider in its own process, with the Redis adapter or its in-memory one. */
export async function startOidcPeer(options: {
  store: 'redis' | 'memory';
  redisUrl: string;
  clientSecret: string;
  logDir: string;
}): Promise<PeerHandle> {
  const port = await freePort();
  const redisKeyPrefix = options.store === 'redis' ? `oidc-bench-${randomBytes(4).toString('hex')}:` : undefined;
  const child = startNode(
    `oidc-provider (${options.store})`,
    [join(__dirname, 'servers', 'oidc-peer.js')],
    {
      ...baseEnv(),
      PORT: String(port),
      PEER_STORE: options.store,
      REDIS_URL: options.redisUrl,
      ...(redisKeyPrefix ? { REDIS_KEY_PREFIX: redisKeyPrefix } : {}),
      CLIENT_SECRET: options.clientSecret,
      TOKEN_TTL_SECONDS: '43200',
    },
    join(options.logDir, `oidc-peer-${options.store}.log`),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(`${baseUrl}/.well-known/openid-configuration`, child);
  return {
    id: `oidc-${options.store}`,
    label: `node-oidc-provider 9.5.1 (${options.store === 'redis' ? 'Redis adapter' : 'in-memory'})`,
    process: child,
    baseUrl,
    ...(redisKeyPrefix ? { redisKeyPrefix } : {}),
  };
}

/** The bare node:http server answering a fixed JSON body. */
export async function startCeiling(logDir: string): Promise<PeerHandle> {
  const port = await freePort();
  const child = startNode(
    'ceiling',
    [join(__dirname, 'servers', 'ceiling-server.js')],
    { ...baseEnv(), PORT: String(port) },
    join(logDir, 'ceiling.log'),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(`${baseUrl}/`, child);
  return { id: 'ceiling', label: 'node:http fixed JSON (ceiling)', process: child, baseUrl };
}

/** Fastify + ioredis doing only the token logic (servers/floor-server.ts): the floor a product cannot reach. */
export async function startFloor(options: {
  redisUrl: string;
  clientSecret: string;
  logDir: string;
}): Promise<PeerHandle> {
  const port = await freePort();
  const redisKeyPrefix = `floor-bench-${randomBytes(4).toString('hex')}:`;
  const child = startNode(
    'floor',
    [join(__dirname, 'servers', 'floor-server.js')],
    {
      ...baseEnv(),
      PORT: String(port),
      REDIS_URL: options.redisUrl,
      REDIS_KEY_PREFIX: redisKeyPrefix,
      CLIENT_ID: 'bench_opaque',
      CLIENT_SECRET: options.clientSecret,
      TOKEN_TTL_SECONDS: '43200',
    },
    join(options.logDir, 'floor.log'),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(`${baseUrl}/`, child);
  return { id: 'floor', label: 'Fastify + ioredis, token logic only (floor)', process: child, baseUrl, redisKeyPrefix };
}

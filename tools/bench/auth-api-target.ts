import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { freePort, ManagedProcess, runNode, startNode, waitForHttp } from './processes';

const ROOT = resolve(__dirname, '..', '..', '..');
export const DIST_AUTH_API = join(ROOT, 'dist', 'apps', 'auth-api', 'src');

export interface Infrastructure {
  /** Admin connection used to create and drop the scratch database. */
  databaseAdminUrl: string;
  redisUrl: string;
}

export function infrastructureFromEnv(env: NodeJS.ProcessEnv = process.env): Infrastructure {
  return {
    databaseAdminUrl: env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
}

export interface AuthApiHandle {
  process: ManagedProcess;
  baseUrl: string;
  managementUrl: string;
  databaseName: string;
  redisKeyPrefix: string;
  /** `Basic …` header value of the ops user. */
  opsAuthorization: string;
  opsUsername: string;
  opsPassword: string;
  /** Every variable set on the child (secrets masked) — written into the results. */
  settings: Record<string, string>;
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(username)}:${encodeURIComponent(password)}`).toString('base64')}`;
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * auth-api as production runs it: the built `dist/apps/auth-api/src/main.js` in its own process,
 * every optional setting at its default (request logging on, LOG_LEVEL info — written to a log file),
 * against real PostgreSQL (a scratch database migrated by `migrate.js`) and real Redis.
 */
export async function startAuthApi(options: {
  infrastructure: Infrastructure;
  logDir: string;
  cpuProfileDir?: string;
  /** Experiments only: variables added on top of the production defaults. */
  extraEnv?: Record<string, string>;
}): Promise<AuthApiHandle> {
  const { infrastructure } = options;
  const suffix = randomBytes(4).toString('hex');
  const databaseName = `cxauth_bench_${suffix}`;
  await admin(infrastructure.databaseAdminUrl, (client) => client.query(`CREATE DATABASE "${databaseName}"`));
  const DATABASE_URL = databaseUrl(infrastructure.databaseAdminUrl, databaseName);
  const redisKeyPrefix = `cxauth-bench-${suffix}:`;
  let child: ManagedProcess | undefined;
  try {
    const baseEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      NODE_ENV: 'production',
    };
    await runNode([join(DIST_AUTH_API, 'migrate.js')], { ...baseEnv, DATABASE_URL });

    const [port, managementPort] = [await freePort(), await freePort()];
    const opsUsername = 'ops';
    const opsPassword = randomBytes(18).toString('base64url');
    const config: Record<string, string> = {
      HOST: '127.0.0.1',
      PORT: String(port),
      MANAGEMENT_PORT: String(managementPort),
      DATABASE_URL,
      REDIS_URL: infrastructure.redisUrl,
      REDIS_KEY_PREFIX: redisKeyPrefix,
      ADMIN_USERNAME: opsUsername,
      ADMIN_PASSWORD: opsPassword,
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      ...options.extraEnv,
    };
    const profileArgs = options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [];
    child = startNode(
      'auth-api',
      [...profileArgs, join(DIST_AUTH_API, 'main.js')],
      { ...baseEnv, ...config },
      join(options.logDir, 'auth-api.log'),
    );
    const managementUrl = `http://127.0.0.1:${managementPort}`;
    await waitForHttp(`${managementUrl}/health/ready`, child);
    const masked = new Set(['ADMIN_PASSWORD', 'ENCRYPTION_KEY']);
    return {
      process: child,
      baseUrl: `http://127.0.0.1:${port}`,
      managementUrl,
      databaseName,
      redisKeyPrefix,
      opsAuthorization: basicAuthorization(opsUsername, opsPassword),
      opsUsername,
      opsPassword,
      settings: Object.fromEntries(
        Object.entries({ NODE_ENV: 'production', ...config }).map(([key, value]) => [
          key,
          masked.has(key) ? '(random)' : value,
        ]),
      ),
    };
  } catch (error) {
    // Leave nothing behind when auth-api cannot start (the caller never learns the database name).
    await child?.stop();
    await cleanUp(infrastructure, databaseName, [redisKeyPrefix]);
    throw error;
  }
}

export interface ClientSpec {
  clientId: string;
  secret: string;
  tokenFormat: 'opaque' | 'jwt';
}

/** Creates a client through the ops API exactly as an installer would (seed 001 body + tokenFormat). */
export async function provisionClient(handle: AuthApiHandle, spec: ClientSpec): Promise<void> {
  const response = await fetch(new URL('/auth/v3/ops/clients', handle.baseUrl), {
    method: 'POST',
    headers: { authorization: handle.opsAuthorization, 'content-type': 'application/json' },
    body: JSON.stringify({
      data: {
        name: spec.clientId,
        clientType: 'CONFIDENTIAL',
        internalClient: true,
        refreshTokenExpirationTimeout: 43200,
        client_id: spec.clientId,
        client_secret: spec.secret,
        authorities: ['ROLE_INTERNAL_CLIENT'],
        scope: ['*'],
        authorizedGrantTypes: ['client_credentials', 'password', 'refresh_token'],
        redirectURIs: ['https://gauth.bench.example'],
        accessTokenExpirationTimeout: 43200,
        tokenFormat: spec.tokenFormat,
      },
    }),
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status !== 200 && response.status !== 201) {
    throw new Error(
      `POST /auth/v3/ops/clients (${spec.clientId}) answered ${response.status}: ${await response.text()}`,
    );
  }
}

/** Drops the scratch database and deletes every Redis key under the given prefixes. */
export async function cleanUp(
  infrastructure: Infrastructure,
  databaseName: string | undefined,
  redisPrefixes: string[],
): Promise<void> {
  if (databaseName) {
    await admin(infrastructure.databaseAdminUrl, (client) =>
      client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`),
    ).catch((error: unknown) => console.error(`bench: could not drop ${databaseName}: ${String(error)}`));
  }
  if (redisPrefixes.length === 0) return;
  const redis = new Redis(infrastructure.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for (const prefix of redisPrefixes) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.unlink(...keys);
      } while (cursor !== '0');
    }
  } catch (error) {
    console.error(`bench: could not delete Redis keys: ${String(error)}`);
  } finally {
    redis.disconnect();
  }
}

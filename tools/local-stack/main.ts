/**
 * `npm start`: the three services on one base URL, on an embedded default (PGlite for PostgreSQL,
 * an in-memory store for Redis) — or on real PostgreSQL/Redis when DATABASE_URL / REDIS_URL are set.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { authApiConfigSchema, authApiService } from '@cxauth/auth-api';
import { authUiConfigSchema, authUiService } from '@cxauth/auth-ui';
import { environmentApiConfigSchema, environmentApiService } from '@cxauth/environment-api';
import { databaseConfigSchema, loadConfig, RunningService, startService, createLogger } from '@cxauth/platform';
import { runMigrations } from '@cxauth/persistence';
import { loadSimData, startConfigServerSim } from '../config-server-sim/config-server-sim';
import { EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';
import { startRoutingProxy } from './routing-proxy';

const LOCAL_OPS_USER = 'ops';
const LOCAL_OPS_PASSWORD = 'ops';
const POOL_SIZE_PER_SERVICE = 2;

/** The local encryption key is generated once and kept beside the data, so restarts can decrypt. */
function localEncryptionKey(dataDir: string): string {
  const file = join(dataDir, 'local-secrets.json');
  if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { encryptionKey: string }).encryptionKey;
  const encryptionKey = randomBytes(32).toString('base64');
  writeFileSync(file, JSON.stringify({ encryptionKey }), { mode: 0o600 });
  return encryptionKey;
}

async function main(): Promise<void> {
  const env = process.env;
  const host = env.CXAUTH_HOST ?? '127.0.0.1';
  const port = Number(env.CXAUTH_PORT ?? 8080);
  const dataDir = resolve(env.CXAUTH_DATA_DIR ?? '.data/local');
  mkdirSync(dataDir, { recursive: true });
  const logger = createLogger('local-stack', env.LOG_LEVEL ?? 'info');
  const publicBaseUrl = env.PUBLIC_BASE_URL ?? `http://localhost:${port}`;

  let embedded: EmbeddedPostgres | undefined;
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(join(dataDir, 'pglite'), POOL_SIZE_PER_SERVICE * 2 + 2);
    databaseUrl = embedded.url;
  }
  const applied = await runMigrations(
    loadConfig('migrate', databaseConfigSchema, { ...env, DATABASE_URL: databaseUrl }),
  );
  logger.info({ applied }, 'schema up to date');

  // Environments' Configuration Servers are reached through the gateway simulator (sample persons)
  // unless a real gateway is named.
  const gatewaySim = env.CONFIG_SERVER_GATEWAY_URL
    ? undefined
    : await startConfigServerSim({
        data: loadSimData(join(__dirname, '../../../tools/config-server-sim/sample-persons.json')),
      });
  const shared: Record<string, string | undefined> = {
    LOG_LEVEL: 'info',
    ...env,
    HOST: '127.0.0.1',
    PORT: '0',
    MANAGEMENT_PORT: '0',
    TRUST_PROXY: 'true',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: String(POOL_SIZE_PER_SERVICE),
    REDIS_URL: env.REDIS_URL ?? 'memory://local',
    REDIS_ALLOW_IN_MEMORY: env.REDIS_URL ? 'false' : 'true',
    // Ctrl-C stops at once: no load balancer in front of the local run to wait for.
    SHUTDOWN_DELAY_MS: '0',
    ADMIN_USERNAME: env.ADMIN_USERNAME ?? LOCAL_OPS_USER,
    ADMIN_PASSWORD: env.ADMIN_PASSWORD ?? LOCAL_OPS_PASSWORD,
    ENCRYPTION_KEY: env.ENCRYPTION_KEY ?? localEncryptionKey(dataDir),
    PUBLIC_BASE_URL: publicBaseUrl,
    CONFIG_SERVER_GATEWAY_URL: env.CONFIG_SERVER_GATEWAY_URL ?? gatewaySim?.url,
  };
  const services: RunningService[] = [];
  const authApi = await startService(authApiService(loadConfig('auth-api', authApiConfigSchema, shared)));
  services.push(authApi);
  const environmentApi = await startService(
    environmentApiService(
      loadConfig('environment-api', environmentApiConfigSchema, { ...shared, AUTH_API_URL: authApi.url }),
    ),
  );
  services.push(environmentApi);
  // auth-ui reads the CORS origins from environment-api (it has no database of its own).
  const uiEnv = { ...shared, AUTH_API_URL: authApi.url, ENVIRONMENT_API_URL: environmentApi.url };
  services.push(await startService(authUiService(loadConfig('auth-ui', authUiConfigSchema, uiEnv))));
  const [auth, environment, ui] = services as [RunningService, RunningService, RunningService];

  const proxy = await startRoutingProxy(
    [
      { prefix: '/auth', upstream: auth.url },
      { prefix: '/environment', upstream: environment.url },
      { prefix: '/ui/auth', upstream: ui.url },
      // The product's old sign-in path, as the ingress routes it (Exact, ahead of /auth).
      { prefix: '/auth/sign-in.html', upstream: ui.url },
    ],
    host,
    port,
  );
  const baseUrl = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
  process.stdout.write(
    [
      '',
      `cxauth is running at ${baseUrl}`,
      `  sign-in page      ${baseUrl}/ui/auth/sign-in.html`,
      `  token endpoint    ${baseUrl}/auth/v3/oauth/token`,
      `  environments      ${baseUrl}/environment/v3/environments`,
      `  ops credentials   ${shared.ADMIN_USERNAME}:${env.ADMIN_PASSWORD ? '(from ADMIN_PASSWORD)' : LOCAL_OPS_PASSWORD}   (local run only)`,
      `  storage           ${embedded ? `embedded PostgreSQL in ${join(dataDir, 'pglite')}` : 'PostgreSQL at DATABASE_URL'}, ${
        env.REDIS_URL ? 'Redis at REDIS_URL' : 'in-memory store (restart = signed out)'
      }`,
      `  config server     ${
        gatewaySim
          ? `gateway simulator ${gatewaySim.url} (sample persons, e.g. <domain>\\agent1 / agent1-Password!)`
          : `gateway ${env.CONFIG_SERVER_GATEWAY_URL}`
      }`,
      `  management        ${services.map((service) => `${service.name} ${service.managementUrl}`).join(', ')}`,
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await proxy.close();
    await Promise.allSettled(services.map((service) => service.close()));
    await gatewaySim?.close();
    await embedded?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authApiConfigSchema, authApiService } from '@cxauth/auth-api';
import { authUiConfigSchema, authUiService } from '@cxauth/auth-ui';
import { environmentApiConfigSchema, environmentApiService } from '@cxauth/environment-api';
import { runMigrations } from '@cxauth/persistence';
import { databaseConfigSchema, loadConfig, RunningService, startService } from '@cxauth/platform';
import { LOCAL_OPS_PASSWORD, LOCAL_OPS_USER, POOL_SIZE_PER_SERVICE } from './local-defaults';

export interface LocalServices {
  authApi: RunningService;
  environmentApi: RunningService;
  authUi: RunningService;
  all: RunningService[];
  opsUser: string;
  logLevel: string;
}

/** The local encryption key is generated once and kept beside the data, so restarts can decrypt. */
function localEncryptionKey(dataDir: string): string {
  const file = join(dataDir, 'local-secrets.json');
  if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { encryptionKey: string }).encryptionKey;
  const encryptionKey = randomBytes(32).toString('base64');
  writeFileSync(file, JSON.stringify({ encryptionKey }), { mode: 0o600 });
  return encryptionKey;
}

/**
 * Migrates the database, then starts the three services on ephemeral loopback ports with the
 * local defaults (quiet logs, in-memory store, `ops:ops`); the environment overrides any of them.
 */
export async function startLocalServices(
  env: NodeJS.ProcessEnv,
  databaseUrl: string,
  dataDir: string,
  publicBaseUrl: string,
): Promise<LocalServices> {
  await runMigrations(loadConfig('migrate', databaseConfigSchema, { ...env, DATABASE_URL: databaseUrl }));
  const shared: Record<string, string | undefined> = {
    LOG_LEVEL: 'warn',
    ...env,
    HOST: '127.0.0.1',
    PORT: '0',
    MANAGEMENT_PORT: '0',
    TRUST_PROXY: '1',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: String(POOL_SIZE_PER_SERVICE),
    REDIS_URL: env.REDIS_URL ?? 'memory://local',
    REDIS_ALLOW_IN_MEMORY: env.REDIS_URL ? 'false' : 'true',
    // Ctrl-C stops at once: no load balancer in front of the local run to wait for.
    SHUTDOWN_DELAY_MS: '0',
    ADMIN_USERNAME: env.ADMIN_USERNAME ?? LOCAL_OPS_USER,
    ADMIN_PASSWORD: env.ADMIN_PASSWORD ?? LOCAL_OPS_PASSWORD,
    // `ops:ops` is the local run's default only; a password given here meets the usual minimum.
    ADMIN_PASSWORD_MIN_LENGTH: env.ADMIN_PASSWORD ? env.ADMIN_PASSWORD_MIN_LENGTH : '1',
    ENCRYPTION_KEY: env.ENCRYPTION_KEY ?? localEncryptionKey(dataDir),
    PUBLIC_BASE_URL: publicBaseUrl,
  };
  const all: RunningService[] = [];
  try {
    const authApi = await startService(authApiService(loadConfig('auth-api', authApiConfigSchema, shared)));
    all.push(authApi);
    const environmentApi = await startService(
      environmentApiService(
        loadConfig('environment-api', environmentApiConfigSchema, { ...shared, AUTH_API_URL: authApi.url }),
      ),
    );
    all.push(environmentApi);
    // auth-ui reads the CORS origins from environment-api (it has no database of its own).
    const uiEnv = { ...shared, AUTH_API_URL: authApi.url, ENVIRONMENT_API_URL: environmentApi.url };
    const authUi = await startService(authUiService(loadConfig('auth-ui', authUiConfigSchema, uiEnv)));
    all.push(authUi);
    return { authApi, environmentApi, authUi, all, opsUser: shared.ADMIN_USERNAME!, logLevel: shared.LOG_LEVEL! };
  } catch (error) {
    await Promise.allSettled(all.map((service) => service.close()));
    throw error;
  }
}

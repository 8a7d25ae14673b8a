/**
 * `npm start`: the three services on one base URL, on an embedded default (PGlite for PostgreSQL,
 * an in-memory store for Redis) — or on real PostgreSQL/Redis when DATABASE_URL / REDIS_URL are set.
 *
 * Order matters for a newcomer: the port is taken first (a taken port is reported at once), the
 * services start quietly (LOG_LEVEL defaults to `warn` here), and the banner comes last.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadSimData, startConfigServerSim } from '../config-server-sim/config-server-sim';
import { startEmbeddedPostgres } from './embedded-postgres';
import { LOCAL_OPS_PASSWORD, POOL_SIZE_PER_SERVICE } from './local-defaults';
import { ingressRoutes, RoutingProxy } from './routing-proxy';

const DEFAULT_PORT = 8080;

/** A promise that never rejects unobserved while other work runs; `unwrap` rethrows later. */
function settle<T>(promise: Promise<T>): Promise<{ value: T } | { error: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

function unwrap<T>(result: { value: T } | { error: unknown }): T {
  if ('error' in result) throw result.error;
  return result.value;
}

function fail(message: string): never {
  process.stderr.write(`cxauth: ${message}\n`);
  process.exit(1);
}

function listenPort(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) fail(`CXAUTH_PORT must be a port number (0–65535), not "${value}"`);
  return port;
}

/** Binds the public port before any other work, so a taken port is reported in milliseconds. */
async function takePort(host: string, port: number): Promise<RoutingProxy> {
  try {
    return await RoutingProxy.listen(host, port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      fail(
        `port ${port} on ${host} is already in use (another cxauth, or another program).\n` +
          `  Stop it, or choose another port: CXAUTH_PORT=${port === DEFAULT_PORT ? DEFAULT_PORT + 1 : DEFAULT_PORT} npm start`,
      );
    }
    if (code === 'EACCES') fail(`port ${port} on ${host} needs privileges; choose another port with CXAUTH_PORT`);
    if (code === 'EADDRNOTAVAIL') fail(`${host} is not an address of this machine; check CXAUTH_HOST`);
    throw error;
  }
}

/** What the banner and the issuer both use: one host, so a strict OIDC client accepts the issuer. */
function publicBaseUrl(host: string, proxy: RoutingProxy): string {
  const port = new URL(proxy.url).port;
  const shown = host === '127.0.0.1' || host === '0.0.0.0' || host === '::' || host === '::1' ? 'localhost' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

async function main(): Promise<void> {
  const env = process.env;
  const host = env.CXAUTH_HOST ?? '127.0.0.1';
  const proxy = await takePort(host, listenPort(env.CXAUTH_PORT));
  const baseUrl = env.PUBLIC_BASE_URL ?? publicBaseUrl(host, proxy);
  const dataDir = resolve(env.CXAUTH_DATA_DIR ?? '.data/local');
  mkdirSync(dataDir, { recursive: true });

  // The embedded database opens in its thread while this one loads the services (seconds each).
  const embeddedStart = env.DATABASE_URL
    ? undefined
    : settle(startEmbeddedPostgres(join(dataDir, 'pglite'), POOL_SIZE_PER_SERVICE * 3));
  // Environments' Configuration Servers are reached through the gateway simulator (sample persons)
  // unless a real gateway is named.
  const gatewaySim = env.CONFIG_SERVER_GATEWAY_URL
    ? undefined
    : await startConfigServerSim({
        data: loadSimData(join(__dirname, '../../../tools/config-server-sim/sample-persons.json')),
      });
  const { startLocalServices } = await import('./services');
  const embedded = embeddedStart ? unwrap(await embeddedStart) : undefined;
  const services = await startLocalServices(
    { ...env, CONFIG_SERVER_GATEWAY_URL: env.CONFIG_SERVER_GATEWAY_URL ?? gatewaySim?.url },
    embedded?.url ?? env.DATABASE_URL!,
    dataDir,
    baseUrl,
  );
  const { authApi, environmentApi, authUi } = services;

  proxy.route(
    // Paths no service owns go to auth-ui, which answers 404 as a page (browsers) or in the envelope.
    [
      ...ingressRoutes({ authApi: authApi.url, environmentApi: environmentApi.url, authUi: authUi.url }),
      { prefix: '/', upstream: authUi.url },
    ],
  );
  process.stdout.write(
    [
      '',
      `cxauth is running at ${baseUrl}   (started in ${process.uptime().toFixed(1)} s)`,
      `  sign-in page      ${baseUrl}/ui/auth/sign-in.html`,
      `  token endpoint    ${baseUrl}/auth/v3/oauth/token`,
      `  environments      ${baseUrl}/environment/v3/environments`,
      `  ops credentials   ${services.opsUser}:${env.ADMIN_PASSWORD ? '(from ADMIN_PASSWORD)' : LOCAL_OPS_PASSWORD}   (local run only)`,
      `  storage           ${embedded ? `embedded PostgreSQL in ${join(dataDir, 'pglite')}` : 'PostgreSQL at DATABASE_URL'}, ${
        env.REDIS_URL ? 'Redis at REDIS_URL' : 'in-memory store (restart = signed out)'
      }`,
      `  config server     ${
        gatewaySim
          ? `gateway simulator ${gatewaySim.url} (sample persons, e.g. <domain>\\agent1 / agent1-Password!)`
          : `gateway ${env.CONFIG_SERVER_GATEWAY_URL}`
      }`,
      `  management        ${services.all.map((service) => `${service.name} ${service.managementUrl}`).join(', ')}`,
      `  logs              level ${services.logLevel} (LOG_LEVEL=info npm start for more)`,
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await proxy.close();
    await Promise.allSettled(services.all.map((service) => service.close()));
    await embedded?.stop();
    await gatewaySim?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));

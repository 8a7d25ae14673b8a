import { authApiConfigSchema, authApiService } from '@cxauth/auth-api';
import { createTestApp, createTestStorage, TcpProxy, TestApp, TestDatabase } from '@cxauth/testing';

/** Polls until `predicate` holds; returns the milliseconds it took, or throws after `timeoutMs`. */
async function waitFor(predicate: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await predicate()) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

// Real PostgreSQL and Redis, reached through TCP relays the test can cut to make them unreachable.
describe('health probes on the management port', () => {
  const postgresRelay = new TcpProxy('127.0.0.1', 5432);
  const redisRelay = new TcpProxy('127.0.0.1', 6379);
  let app: TestApp;
  let database: TestDatabase;

  const status = async (path: string) => (await fetch(`${app.service.managementUrl}${path}`)).status;
  const readyBody = async () => (await fetch(`${app.service.managementUrl}/health/ready`)).json();
  /** The value of one sample in /metrics (0 when absent). */
  const sample = async (pattern: RegExp) => {
    const text = await (await fetch(`${app.service.managementUrl}/metrics`)).text();
    return Number(pattern.exec(text)?.[1] ?? 0);
  };
  const postgresErrors = () => sample(/^cxauth_postgres_errors_total\{kind="query"[^}]*\} (\d+)/m);
  const redisErrors = () => sample(/^cxauth_redis_errors_total\{connection="main"[^}]*\} (\d+)/m);

  beforeAll(async () => {
    await postgresRelay.start();
    await redisRelay.start();
    const storage = await createTestStorage();
    database = storage.database;
    const databaseUrl = new URL(storage.env.DATABASE_URL!);
    databaseUrl.port = String(postgresRelay.port);
    app = await createTestApp(authApiConfigSchema, authApiService, {
      ...storage.env,
      DATABASE_URL: databaseUrl.toString(),
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      REDIS_URL: `redis://127.0.0.1:${redisRelay.port}`,
      LOG_LEVEL: 'fatal',
    });
  });

  afterAll(async () => {
    await app.close();
    await postgresRelay.stop();
    await redisRelay.stop();
    await database.drop();
  });

  it('reports ready with postgres and redis up', async () => {
    expect(await status('/health/ready')).toBe(200);
    expect(await readyBody()).toMatchObject({
      status: 'ok',
      details: { postgres: { status: 'up' }, redis: { status: 'up' }, process: { status: 'up' } },
    });
    expect(await status('/health/live')).toBe(200);
  });

  it('turns unready within 2 s when PostgreSQL is unreachable, stays live, and recovers', async () => {
    const errorsBefore = await postgresErrors();
    await postgresRelay.cut();
    const elapsed = await waitFor(async () => (await status('/health/ready')) === 503, 2_000);
    expect(elapsed).toBeLessThan(2_000);
    expect(await readyBody()).toMatchObject({ status: 'error', details: { postgres: { status: 'down' } } });
    expect(await status('/health/live')).toBe(200);
    expect(await postgresErrors()).toBeGreaterThan(errorsBefore);

    await postgresRelay.start();
    await waitFor(async () => (await status('/health/ready')) === 200, 10_000);
  });

  it('turns unready within 2 s when Redis is unreachable, stays live, and recovers', async () => {
    const errorsBefore = await redisErrors();
    await redisRelay.cut();
    const elapsed = await waitFor(async () => (await status('/health/ready')) === 503, 2_000);
    expect(elapsed).toBeLessThan(2_000);
    expect(await readyBody()).toMatchObject({ status: 'error', details: { redis: { status: 'down' } } });
    expect(await status('/health/live')).toBe(200);
    await waitFor(async () => (await redisErrors()) > errorsBefore, 5_000);

    await redisRelay.start();
    await waitFor(async () => (await status('/health/ready')) === 200, 10_000);
  });

  it('serves Prometheus metrics with the request histogram by route and status', async () => {
    await app.http().get('/auth/v3/no-such-route').expect(404);
    const response = await fetch(`${app.service.managementUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toMatch(
      /http_request_duration_seconds_count\{[^}]*route="unmatched"[^}]*status_code="404"[^}]*\} [1-9]/,
    );
  });
});

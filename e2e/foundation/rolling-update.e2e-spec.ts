import { once } from 'node:events';
import {
  createTestDatabase,
  ReadinessBalancer,
  ServiceProcess,
  SLOW_SERVICE_FIXTURE,
  startServiceProcess,
  TEST_REDIS_URL,
  TestDatabase,
} from '@cxauth/testing';

/** How often the balancer asks each replica's readiness (a kubelet probe period, shortened). */
const PROBE_INTERVAL_MS = 500;

type Replica = ServiceProcess;

/** One replica as a real process. */
function startReplica(database: TestDatabase, shutdownDelayMs: number): Promise<Replica> {
  return startServiceProcess(SLOW_SERVICE_FIXTURE, {
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '2',
    REDIS_URL: TEST_REDIS_URL,
    SHUTDOWN_DELAY_MS: String(shutdownDelayMs),
    SHUTDOWN_TIMEOUT_MS: '5000',
  });
}

interface LoadResult {
  ok: number;
  failed: string[];
}

/** Requests in a loop from `workers` clients until `until` settles, counted into `result`; bounded by count and time. */
async function load(url: string, workers: number, until: Promise<unknown>, result: LoadResult): Promise<void> {
  let done = false;
  void until.finally(() => (done = true));
  const deadline = Date.now() + 30_000;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let sent = 0; !done && sent < 5_000 && Date.now() < deadline; sent++) {
        try {
          const response = await fetch(`${url}/slow?ms=20`);
          await response.arrayBuffer();
          if (response.status === 200) result.ok++;
          else result.failed.push(`HTTP ${response.status}`);
        } catch (error) {
          result.failed.push((error as Error).message);
        }
      }
    }),
  );
}

/**
 * Two replicas behind a readiness-aware balancer under steady load; one gets SIGTERM as in a rolling
 * update. The balancer only learns of it from the failing readiness probe, like a Service's endpoints.
 */
async function terminateOneUnderLoad(database: TestDatabase, shutdownDelayMs: number) {
  const replicas = [await startReplica(database, shutdownDelayMs), await startReplica(database, shutdownDelayMs)];
  const balancer = new ReadinessBalancer(replicas, PROBE_INTERVAL_MS);
  await balancer.start();
  const [leaving, staying] = replicas as [Replica, Replica];
  const result: LoadResult = { ok: 0, failed: [] };
  // answered requests when SIGTERM was sent, and when the replica had exited
  const served = { atSigterm: 0, atExit: 0 };
  try {
    expect(balancer.readyCount).toBe(2);
    const exited = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      served.atSigterm = result.ok;
      const healthBefore = (await fetch(`${leaving.managementUrl}/health`)).status;
      const exit = once(leaving.child, 'exit');
      leaving.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const healthDraining = await fetch(`${leaving.managementUrl}/health`).then(
        (response) => response.status,
        () => 'refused',
      );
      const [code] = (await exit) as [number | null];
      served.atExit = result.ok;
      // keep the load on the remaining replica a little longer
      await new Promise((resolve) => setTimeout(resolve, 500));
      return { code, healthBefore, healthDraining };
    })();
    await load(balancer.url, 8, exited, result);
    return { result, served, ...(await exited), readyAfter: balancer.readyCount, leaving };
  } finally {
    await balancer.stop();
    staying.child.kill('SIGTERM');
    await once(staying.child, 'exit');
  }
}

describe('rolling update: a replica leaves under load', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('loses no request when the replica stays serving, unready, for SHUTDOWN_DELAY_MS before it stops', async () => {
    const { result, served, code, healthBefore, healthDraining, readyAfter, leaving } = await terminateOneUnderLoad(
      database,
      3 * 1_000,
    );
    expect(result.failed).toEqual([]);
    // the load ran before SIGTERM, through the drain, and after the replica had gone
    expect(served.atSigterm).toBeGreaterThan(0);
    expect(served.atExit).toBeGreaterThan(served.atSigterm);
    expect(result.ok).toBeGreaterThan(served.atExit);
    // GET /health (the Genesys chart's probe path) follows: up while serving, down once draining
    expect(healthBefore).toBe(200);
    expect(healthDraining).toBe(503);
    expect(code).toBe(0);
    expect(readyAfter).toBe(1);
    expect(leaving.output.join('')).toContain('draining: unready, still serving');
  }, 60_000);

  it('control: without the delay the same load loses requests (so the test above can fail)', async () => {
    const { result, code } = await terminateOneUnderLoad(database, 0);
    expect(code).toBe(0);
    expect(result.failed.length).toBeGreaterThan(0);
  }, 60_000);
});

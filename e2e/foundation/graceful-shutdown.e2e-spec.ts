import { once } from 'node:events';
import {
  createTestDatabase,
  SLOW_SERVICE_FIXTURE,
  startServiceProcess,
  TEST_REDIS_URL,
  TestDatabase,
} from '@cxauth/testing';

function startService(database: TestDatabase) {
  return startServiceProcess(SLOW_SERVICE_FIXTURE, {
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    SHUTDOWN_TIMEOUT_MS: '5000',
    // This test is about draining in-flight requests; the delay before it has its own test.
    SHUTDOWN_DELAY_MS: '0',
  });
}

// A real child process, real SIGTERM, real PostgreSQL and Redis pools.
describe('graceful shutdown', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('finishes a request in flight at SIGTERM (with its pools still open), refuses new ones, exits 0', async () => {
    const { child, url, output } = await startService(database);
    const inFlight = fetch(`${url}/slow?ms=1200`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));

    await expect(fetch(`${url}/slow?ms=1`)).rejects.toThrow();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ waited: 1200, postgres: 1, redis: 'PONG' });

    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(output.join('')).toContain('slow-service stopped');
  });
});

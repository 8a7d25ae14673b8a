import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createTestDatabase, TEST_REDIS_URL, TestDatabase } from '@cxauth/testing';

const FIXTURE = join(__dirname, '../../dist/libs/testing/src/fixtures/slow-service.js');

/** Starts the built fixture service as a real process and resolves its URL from the startup log. */
async function startService(database: TestDatabase): Promise<{ child: ChildProcess; url: string; output: string[] }> {
  const child = spawn(process.execPath, [FIXTURE], {
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: '0',
      MANAGEMENT_PORT: '0',
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      SHUTDOWN_TIMEOUT_MS: '5000',
      // This test is about draining in-flight requests; the delay before it has its own test.
      SHUTDOWN_DELAY_MS: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no startup line: ${output.join('')}`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      const match = /"url":"(http:\/\/[^"]+)"/.exec(chunk.toString());
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return { child, url, output };
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

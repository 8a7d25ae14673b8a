import { createServer, Server, Socket } from 'node:net';
import { Pool } from 'pg';
import { TcpProxy, TEST_DATABASE_ADMIN_URL } from '@cxauth/testing';
import { PostgresCircuit } from '@cxauth/persistence';

/** A host that accepts TCP connections and never answers (a dropped route, a hung server). */
async function silentServer(port: number): Promise<{ server: Server; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    server,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Queries until the circuit opens (a pooled connection just lost fails first, then a connect attempt). */
async function untilOpen(pool: Pool, circuit: PostgresCircuit, expected: RegExp) {
  const attempts = [];
  while (!circuit.isOpen && attempts.length < 3) attempts.push(await timed(() => pool.query('SELECT 1')));
  for (const { outcome } of attempts) expect(outcome).toMatch(expected);
  expect(circuit.isOpen).toBe(true);
  return attempts;
}

const timed = async (run: () => Promise<unknown>) => {
  const started = performance.now();
  const outcome = await run().then(
    () => 'ok',
    (error: Error) => `${error.name}: ${error.message}`,
  );
  return { outcome, ms: performance.now() - started };
};

/** The pool's circuit (issue 18): while PostgreSQL is unreachable, connection requests fail at once. */
describe('PostgresCircuit', () => {
  const target = new URL(TEST_DATABASE_ADMIN_URL);
  let relay: TcpProxy;
  let circuit: PostgresCircuit;
  let pool: Pool;

  beforeEach(async () => {
    relay = new TcpProxy(target.hostname, Number(target.port || 5432));
    await relay.start();
    const url = new URL(TEST_DATABASE_ADMIN_URL);
    url.host = `127.0.0.1:${relay.port}`;
    circuit = new PostgresCircuit(undefined, 100);
    pool = new Pool({
      connectionString: url.toString(),
      max: 2,
      connectionTimeoutMillis: 500,
      Client: circuit.clientClass(),
    });
    pool.on('error', () => undefined);
    await pool.query('SELECT 1');
  });
  afterEach(async () => {
    circuit.stop();
    await pool.end();
    await relay.stop();
  });

  it('opens on a refused connection, refuses at once while open, closes when a probe connects', async () => {
    await relay.cut();
    await untilOpen(pool, circuit, /ECONNREFUSED|Connection terminated/);
    const refused = await timed(() => pool.query('SELECT 1'));
    expect(refused.outcome).toBe('DependencyUnavailableError: PostgreSQL is unavailable');

    await relay.start();
    const started = performance.now();
    while (circuit.isOpen && performance.now() - started < 5_000)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(circuit.isOpen).toBe(false);
    expect((await timed(() => pool.query('SELECT 1'))).outcome).toBe('ok');
  });

  it('against a host that never answers, only the first request waits for the connect timeout', async () => {
    await relay.cut();
    const silent = await silentServer(relay.port);
    try {
      const attempts = await untilOpen(pool, circuit, /timeout|Connection terminated/);
      expect(attempts.at(-1)!.ms).toBeGreaterThanOrEqual(400);
      const next = await Promise.all(Array.from({ length: 5 }, () => timed(() => pool.query('SELECT 1'))));
      for (const { outcome, ms } of next) {
        expect(outcome).toBe('DependencyUnavailableError: PostgreSQL is unavailable');
        // Not the 500 ms connect timeout (generous: the machine is shared).
        expect(ms).toBeLessThan(250);
      }
    } finally {
      await silent.close();
    }
    await relay.start();
    const started = performance.now();
    while (circuit.isOpen && performance.now() - started < 5_000)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await timed(() => pool.query('SELECT 1'))).outcome).toBe('ok');
  });

  it('does not open before the first successful connection (boot reports the real error)', async () => {
    const fresh = new PostgresCircuit(undefined, 100);
    const unreachable = new Pool({
      connectionString: 'postgres://postgres@127.0.0.1:9/postgres',
      Client: fresh.clientClass(),
    });
    unreachable.on('error', () => undefined);
    try {
      for (let attempt = 0; attempt < 2; attempt++)
        expect((await timed(() => unreachable.query('SELECT 1'))).outcome).toMatch(/ECONNREFUSED/);
      expect(fresh.isOpen).toBe(false);
    } finally {
      fresh.stop();
      await unreachable.end();
    }
  });
});

/**
 * The Configuration Server gateway simulator as a process:
 *   node dist/tools/config-server-sim/main.js [--data file.json] [--port 0] [--admin-port 0]
 * The admin port takes POST /sim/down?mode=refuse|unavailable, /sim/up, /sim/slow?ms=N,
 * /sim/reject?userName=X and /sim/accept?userName=X.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSimData, startConfigServerSim } from './config-server-sim';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: join(__dirname, '../../../tools/config-server-sim/sample-persons.json') },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      'admin-port': { type: 'string', default: '0' },
    },
  });
  const sim = await startConfigServerSim({
    data: loadSimData(values.data),
    host: values.host,
    port: Number(values.port),
  });
  const admin = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://admin');
    const done = (status = 204) => response.writeHead(status).end();
    if (request.method !== 'POST') return done(405);
    const userName = url.searchParams.get('userName') ?? '';
    switch (url.pathname) {
      case '/sim/down':
        return void sim
          .goDown(url.searchParams.get('mode') === 'unavailable' ? 'unavailable' : 'refuse')
          .then(() => done());
      case '/sim/up':
        return void sim.comeUp().then(() => done());
      case '/sim/slow':
        sim.slowDown(Number(url.searchParams.get('ms') ?? 0));
        return done();
      case '/sim/reject':
        sim.reject(userName);
        return done();
      case '/sim/accept':
        sim.accept(userName);
        return done();
      default:
        return done(404);
    }
  });
  admin.listen(Number(values['admin-port']), values.host);
  await once(admin, 'listening');
  const adminPort = (admin.address() as AddressInfo).port;
  process.stdout.write(`config-server-sim serving ${sim.url} (admin http://${values.host}:${adminPort})\n`);
  const stop = () => {
    admin.close();
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

/**
 * The embedded PostgreSQL in its own thread: PGlite runs WebAssembly on the thread that owns it, so
 * here it opens (or unpacks) the cluster while the main thread loads the services, and its queries
 * never block their event loop.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { ensurePgliteTemplate } from './pglite-template';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  maxConnections: number;
}

async function serve({ dataDir, maxConnections }: EmbeddedPostgresOptions): Promise<void> {
  const loadDataDir = existsSync(join(dataDir, 'PG_VERSION'))
    ? undefined
    : new Blob([readFileSync(await ensurePgliteTemplate())]);
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir, loadDataDir });
  // Connections share one session; the server queues their queries.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  parentPort!.once('message', () => {
    void server
      .stop()
      .then(() => db.close())
      .then(() => parentPort!.postMessage({ stopped: true }));
  });
  parentPort!.postMessage({ url: `postgres://postgres@${server.getServerConn()}/postgres` });
}

void serve(workerData as EmbeddedPostgresOptions);

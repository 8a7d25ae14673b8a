import { once } from 'node:events';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EmbeddedPostgresOptions } from './embedded-postgres.worker';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Real PostgreSQL (PGlite, WASM) kept in `dataDir`, served on a loopback TCP port so the services use
 * the same `pg` driver path as in production; it runs in a worker thread (embedded-postgres.worker.ts).
 */
export async function startEmbeddedPostgres(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
  const options: EmbeddedPostgresOptions = { dataDir, maxConnections };
  const worker = new Worker(join(__dirname, 'embedded-postgres.worker.js'), { workerData: options });
  // Rejects with the worker's error when opening the cluster fails.
  const [{ url }] = (await once(worker, 'message')) as [{ url: string }];
  return {
    url,
    stop: async () => {
      const stopped = once(worker, 'message');
      worker.postMessage('stop');
      // The cluster is closed (and on disk) once the worker says so.
      await stopped;
      await worker.terminate();
    },
  };
}

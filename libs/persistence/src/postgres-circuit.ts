import { Client, type ClientConfig } from 'pg';
import type { Logger } from 'pino';
import { DependencyUnavailableError, unavailableDependency } from '@cxauth/platform';

/** How often a probe connection is tried while the circuit is open (ms). */
export const POSTGRES_PROBE_INTERVAL_MS = 200;

/**
 * A circuit in front of the service's PostgreSQL pool. Once a new connection fails to open for a
 * connection reason (refused, reset, timed out, "the database system is shutting down"), the circuit
 * opens: every further connection request fails at once with DependencyUnavailableError (a 503) instead
 * of each request attempting its own connection — which, when PostgreSQL's host does not answer at all,
 * waits DATABASE_CONNECT_TIMEOUT_MS per request. A probe connection is tried every
 * POSTGRES_PROBE_INTERVAL_MS meanwhile; the first that opens closes the circuit. Connections already in
 * the pool are not touched; a connection lost mid-query fails that query only. The circuit arms after the
 * first successful connection, so a boot against an unreachable database still reports the real error.
 */
export class PostgresCircuit {
  private armed = false;
  private openSince: number | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly logger?: Logger,
    private readonly probeIntervalMs = POSTGRES_PROBE_INTERVAL_MS,
  ) {}

  get isOpen(): boolean {
    return this.openSince !== undefined;
  }

  /** The pg Client class for the pool (`extra.Client`): its connect() goes through the circuit. */
  clientClass(): typeof Client {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the subclass below needs the circuit.
    const circuit = this;
    class CircuitClient extends Client {
      constructor(private readonly clientConfig?: string | ClientConfig) {
        super(clientConfig);
      }

      override connect(): Promise<void>;
      override connect(callback: (error: Error) => void): void;
      override connect(callback?: (error: Error) => void): Promise<void> | void {
        if (circuit.isOpen) {
          const refused = new DependencyUnavailableError('PostgreSQL');
          if (!callback) return Promise.reject(refused);
          process.nextTick(callback, refused);
          return;
        }
        const connected = super.connect().then(
          () => circuit.succeeded(),
          (error: unknown) => {
            circuit.failed(error, this.clientConfig);
            throw error;
          },
        );
        if (!callback) return connected;
        connected.then(() => callback(undefined as unknown as Error), callback);
      }
    }
    return CircuitClient;
  }

  /** Stops probing (shutdown). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.probeTimer);
  }

  private succeeded(): void {
    this.armed = true;
    this.close();
  }

  private failed(error: unknown, config: string | ClientConfig | undefined): void {
    if (!this.armed || this.isOpen || this.stopped || unavailableDependency(error) !== 'PostgreSQL') return;
    this.openSince = Date.now();
    this.logger?.warn(
      { err: { message: (error as Error).message } },
      'PostgreSQL unreachable: refusing requests that need it until a probe connection opens',
    );
    this.scheduleProbe(config);
  }

  private close(): void {
    if (this.openSince === undefined) return;
    this.logger?.info({ downMs: Date.now() - this.openSince }, 'PostgreSQL reachable again');
    this.openSince = undefined;
    clearTimeout(this.probeTimer);
  }

  private scheduleProbe(config: string | ClientConfig | undefined): void {
    this.probeTimer = setTimeout(() => void this.probe(config), this.probeIntervalMs);
    this.probeTimer.unref();
  }

  private async probe(config: string | ClientConfig | undefined): Promise<void> {
    if (!this.isOpen || this.stopped) return;
    const client = new Client(config);
    client.on('error', () => undefined);
    try {
      await client.connect();
      this.close();
    } catch {
      this.scheduleProbe(config);
    } finally {
      void client.end().catch(() => undefined);
    }
  }
}

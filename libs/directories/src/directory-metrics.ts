import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type DirectoryOutcome = 'success' | 'rejected' | 'not_found' | 'unavailable' | 'error';

/**
 * Directory metrics in the service's registry: every directory call by environment, directory kind,
 * operation and outcome, with its latency; the product's Configuration Server timeout counters; and
 * the Consul discovery state.
 */
export class DirectoryMetrics {
  readonly calls: Histogram<'environment' | 'directory' | 'operation' | 'outcome'>;
  readonly commandTimeouts: Counter<'environment'>;
  readonly connectionTimeouts: Counter<'environment'>;
  readonly endpointFailovers: Counter<'environment'>;
  readonly consulUpdates: Counter<'service'>;
  readonly consulErrors: Counter<'service'>;
  readonly consulEndpoints: Gauge<'service'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.calls = new Histogram({
      name: 'auth_directory_request_duration_seconds',
      help: 'User directory calls by environment, directory (configServer, ldap), operation and outcome',
      labelNames: ['environment', 'directory', 'operation', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.commandTimeouts = new Counter({
      name: 'auth_cs_command_timeouts_total',
      help: 'Configuration Server (gateway) requests that timed out after connecting, per environment',
      labelNames: ['environment'],
      registers,
    });
    this.connectionTimeouts = new Counter({
      name: 'auth_cs_connection_timeouts_total',
      help: 'Configuration Server (gateway) connections that failed or timed out, per environment',
      labelNames: ['environment'],
      registers,
    });
    this.endpointFailovers = new Counter({
      name: 'auth_cs_endpoint_failovers_total',
      help: 'Requests that moved to another Configuration Server (gateway) endpoint, per environment',
      labelNames: ['environment'],
      registers,
    });
    this.consulUpdates = new Counter({
      name: 'auth_consul_discovery_updates_total',
      help: 'Changed endpoint lists received from Consul, per service',
      labelNames: ['service'],
      registers,
    });
    this.consulErrors = new Counter({
      name: 'auth_consul_discovery_errors_total',
      help: 'Failed Consul queries (the last known endpoints stay in use), per service',
      labelNames: ['service'],
      registers,
    });
    this.consulEndpoints = new Gauge({
      name: 'auth_consul_discovery_endpoints',
      help: 'Passing endpoints currently known from Consul, per service',
      labelNames: ['service'],
      registers,
    });
  }

  /** Runs `call`, recording its latency under the outcome it settles with. */
  async time<T>(
    labels: { environment: string; directory: string; operation: string },
    call: () => Promise<T>,
    outcomeOf: (result: T) => DirectoryOutcome,
    failureOutcome: (error: unknown) => DirectoryOutcome,
  ): Promise<T> {
    const end = this.calls.startTimer(labels);
    try {
      const result = await call();
      end({ outcome: outcomeOf(result) });
      return result;
    } catch (error) {
      end({ outcome: failureOutcome(error) });
      throw error;
    }
  }
}

/** The outcome label of a settled directory call (person, null, authentication or password-change outcome). */
export function outcomeOf(result: unknown): DirectoryOutcome {
  if (result === null) return 'not_found';
  if (typeof result === 'string') return result === 'changed' ? 'success' : 'rejected';
  if (typeof result === 'object' && 'status' in result) {
    return (result as { status: string }).status === 'authenticated' ? 'success' : 'rejected';
  }
  return 'success';
}

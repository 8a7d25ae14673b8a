import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  handleType,
} from 'cockatiel';
import { endpointKey, GatewayEndpoint, GatewayTransportError } from './gateway-transport';

/** Where the endpoints of a directory come from, in order of preference (primary first). */
export interface EndpointSource {
  endpoints(): Promise<GatewayEndpoint[]>;
  close?(): void;
}

export class StaticEndpoints implements EndpointSource {
  constructor(private readonly list: GatewayEndpoint[]) {}

  async endpoints(): Promise<GatewayEndpoint[]> {
    return this.list;
  }
}

export interface EndpointPoolOptions {
  /** Consecutive failures that open an endpoint's circuit. */
  failureThreshold: number;
  /** How often an open endpoint is probed (and the earliest it can come back). */
  probeIntervalMs: number;
  /** A cheap call (the gateway's health) that tells whether the endpoint is back. */
  probe(endpoint: GatewayEndpoint): Promise<void>;
  onFailover?(from: GatewayEndpoint, error: GatewayTransportError): void;
}

interface EndpointState {
  endpoint: GatewayEndpoint;
  breaker: CircuitBreakerPolicy;
  probeTimer?: NodeJS.Timeout;
}

/** Every endpoint was tried and none could answer (or all circuits are open). */
export class NoEndpointAvailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoEndpointAvailable';
  }
}

/**
 * Failover with one circuit breaker (cockatiel) per endpoint. Requests go to the first endpoint whose
 * circuit is closed, in the source's order, and move on to the next on a transport failure (no
 * connection, timeout, 5xx). An open circuit takes no traffic; a probe runs every `probeIntervalMs`
 * and the first successful one closes it, so traffic returns to the primary once it has recovered.
 * When every circuit is open, requests fail at once instead of waiting for timeouts.
 */
export class EndpointPool {
  private readonly states = new Map<string, EndpointState>();
  private closed = false;

  constructor(
    private readonly source: EndpointSource,
    private readonly options: EndpointPoolOptions,
  ) {}

  async execute<T>(call: (endpoint: GatewayEndpoint) => Promise<T>): Promise<T> {
    const endpoints = await this.source.endpoints();
    if (endpoints.length === 0) throw new NoEndpointAvailable('no endpoint is configured or discovered');
    const candidates = endpoints.map((endpoint) => this.state(endpoint));
    const usable = candidates.filter((state) => state.breaker.state === CircuitState.Closed);
    if (usable.length === 0) throw new NoEndpointAvailable('every endpoint is failing (circuit open)');
    let lastError: GatewayTransportError | undefined;
    for (const state of usable) {
      try {
        return await state.breaker.execute(() => call(state.endpoint));
      } catch (error) {
        if (error instanceof BrokenCircuitError) continue; // opened by a concurrent request
        if (!(error instanceof GatewayTransportError)) throw error;
        lastError = error;
        this.options.onFailover?.(state.endpoint, error);
      }
    }
    throw new NoEndpointAvailable(lastError?.message ?? 'every endpoint is failing');
  }

  /** Endpoints whose circuit is closed (for health reporting and tests). */
  async healthyEndpoints(): Promise<GatewayEndpoint[]> {
    return (await this.source.endpoints()).filter(
      (endpoint) => this.state(endpoint).breaker.state === CircuitState.Closed,
    );
  }

  close(): void {
    this.closed = true;
    for (const state of this.states.values()) clearTimeout(state.probeTimer);
    this.states.clear();
    this.source.close?.();
  }

  private state(endpoint: GatewayEndpoint): EndpointState {
    const key = endpointKey(endpoint);
    let state = this.states.get(key);
    if (!state) {
      const breaker = circuitBreaker(handleType(GatewayTransportError), {
        halfOpenAfter: this.options.probeIntervalMs,
        breaker: new ConsecutiveBreaker(this.options.failureThreshold),
      });
      const created: EndpointState = { endpoint, breaker };
      breaker.onBreak(() => this.scheduleProbe(created));
      state = created;
      this.states.set(key, state);
    }
    return state;
  }

  private scheduleProbe(state: EndpointState): void {
    if (this.closed) return;
    clearTimeout(state.probeTimer);
    state.probeTimer = setTimeout(() => {
      state.breaker
        .execute(() => this.options.probe(state.endpoint))
        .catch(() => {
          // Still failing (or not yet half-open): try again later; a success resets the circuit.
          if (state.breaker.state !== CircuitState.Closed) this.scheduleProbe(state);
        });
    }, this.options.probeIntervalMs);
    state.probeTimer.unref();
  }
}

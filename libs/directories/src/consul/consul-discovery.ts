import { Agent as HttpsAgent } from 'node:https';
import Consul from 'consul';
import type { DirectoryMetrics } from '../directory-metrics';
import type { EndpointSource } from '../config-server/endpoint-pool';
import type { GatewayEndpoint } from '../config-server/gateway-transport';
import type { ConsulServiceName } from './consul-service-name';

export interface ConsulDiscoverySettings {
  /** e.g. `https://consul.example.com:443` (the product's connection 8) or `http://127.0.0.1:8500`. */
  url: string;
  token?: string;
  /** Default datacenter when a service name does not carry one. */
  datacenter?: string;
  /** PEM CA for https. */
  ca?: string;
  /** Longest a blocking query waits for a change (Consul's `wait`). */
  waitSeconds: number;
  /** How long the first request of a service waits for Consul's first answer. */
  initialTimeoutMs: number;
}

interface HealthEntry {
  Node?: { Address?: string };
  Service?: { Address?: string; Port?: number };
}

type WatchHandle = ReturnType<Consul['watch']>;

/**
 * One blocking-query watch of `/v1/health/service/<name>?passing` (the `consul` client's `watch`,
 * driven by `X-Consul-Index`), shared by every directory that uses the service. When Consul cannot
 * be reached the last known endpoints stay in use.
 */
class ConsulServiceWatch implements EndpointSource {
  private known: GatewayEndpoint[] | undefined;
  private firstAnswer: Promise<void>;
  private resolveFirst!: () => void;
  private watch?: WatchHandle;
  private restartTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly consul: Consul,
    private readonly name: ConsulServiceName,
    private readonly settings: ConsulDiscoverySettings,
    private readonly metrics: DirectoryMetrics,
    private readonly onEvent: (level: 'warn' | 'info', message: string) => void,
  ) {
    this.firstAnswer = new Promise((resolve) => (this.resolveFirst = resolve));
    this.start();
  }

  get label(): string {
    return this.name.service;
  }

  async endpoints(): Promise<GatewayEndpoint[]> {
    if (this.known === undefined) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.firstAnswer,
        new Promise<void>((resolve) => (timer = setTimeout(resolve, this.settings.initialTimeoutMs))),
      ]);
      clearTimeout(timer);
    }
    return this.known ?? [];
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    this.watch?.end();
  }

  private start(): void {
    const datacenter = this.name.datacenter ?? this.settings.datacenter;
    const watch = this.consul.watch({
      method: this.consul.health.service,
      options: {
        service: this.name.service,
        passing: 'true',
        wait: `${this.settings.waitSeconds}s`,
        ...(this.name.tag && { tag: this.name.tag }),
        ...(datacenter && { dc: datacenter }),
      },
      backoffFactor: 100,
      backoffMax: 10_000,
    });
    this.watch = watch;
    watch.on('change', (data: HealthEntry[]) => this.update(data));
    watch.on('error', (error: Error) => {
      this.metrics.consulErrors.inc({ service: this.label });
      this.onEvent(
        'warn',
        `Consul query for ${this.label} failed (${error.message}); keeping the last known endpoints`,
      );
    });
    // The client ends a watch on a 400 or a server without blocking queries; try again later.
    watch.on('end', () => {
      if (this.stopped) return;
      this.restartTimer = setTimeout(() => this.start(), 10_000);
      this.restartTimer.unref();
    });
  }

  private update(entries: HealthEntry[]): void {
    const endpoints: GatewayEndpoint[] = [];
    for (const entry of Array.isArray(entries) ? entries : []) {
      const host = entry.Service?.Address || entry.Node?.Address;
      const port = entry.Service?.Port;
      if (host && typeof port === 'number' && port > 0 && port < 65536) endpoints.push({ host, port });
    }
    this.known = endpoints;
    this.metrics.consulUpdates.inc({ service: this.label });
    this.metrics.consulEndpoints.set({ service: this.label }, endpoints.length);
    this.onEvent('info', `Consul: ${this.label} has ${endpoints.length} passing endpoint(s)`);
    this.resolveFirst();
  }
}

/** Consul discovery of Configuration Server (gateway) endpoints: one watch per service, reused. */
export class ConsulDiscovery {
  private readonly consul: Consul;
  private readonly watches = new Map<string, ConsulServiceWatch>();

  constructor(
    private readonly settings: ConsulDiscoverySettings,
    private readonly metrics: DirectoryMetrics,
    private readonly onEvent: (level: 'warn' | 'info', message: string) => void = () => undefined,
  ) {
    const url = new URL(settings.url);
    const secure = url.protocol === 'https:';
    this.consul = new Consul({
      host: url.hostname,
      port: Number(url.port || (secure ? 443 : 8500)),
      secure,
      ...(secure && { agent: new HttpsAgent({ keepAlive: true, ca: settings.ca }) }),
      defaults: { ...(settings.token && { token: settings.token }) },
    });
  }

  /** The endpoints of a service, kept current by a blocking-query watch; shared, never closed by a directory. */
  source(name: ConsulServiceName): EndpointSource {
    const key = `${name.tag ?? ''}.${name.service}.${name.datacenter ?? this.settings.datacenter ?? ''}`;
    let watch = this.watches.get(key);
    if (!watch) {
      watch = new ConsulServiceWatch(this.consul, name, this.settings, this.metrics, this.onEvent);
      this.watches.set(key, watch);
    }
    const shared = watch;
    return { endpoints: () => shared.endpoints() };
  }

  close(): void {
    for (const watch of this.watches.values()) watch.stop();
    this.watches.clear();
    this.consul.destroy();
  }
}

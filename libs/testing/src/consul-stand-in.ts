import { once } from 'node:events';
import { createServer as createHttpServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface ConsulStandInInstance {
  address: string;
  port: number;
  passing?: boolean;
}

/**
 * A **stand-in for Consul** (no Consul binary can be installed here): exactly the HTTP contract the
 * `consul` client's health watch uses — `GET /v1/health/service/<name>` with `passing`, `dc`, `tag`,
 * and blocking queries (`index` + `wait`, answered with `X-Consul-Index`) — plus the ACL token header.
 * Tests change a service's instances and the watch sees it without a restart.
 */
export class ConsulStandIn {
  private server?: Server;
  private index = 1;
  private readonly services = new Map<string, ConsulStandInInstance[]>();
  private readonly waiters = new Set<() => void>();
  /** Every request's path and query, for assertions (`index`, `dc`, token presence). */
  readonly requests: { path: string; query: URLSearchParams; token?: string }[] = [];
  port = 0;

  constructor(
    private readonly options: { token?: string; datacenter?: string; tls?: { key: string; cert: string } } = {},
  ) {}

  get url(): string {
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const handler = (request: IncomingMessage, response: ServerResponse) => void this.handle(request, response);
    const server = this.options.tls ? createHttpsServer(this.options.tls, handler) : createHttpServer(handler);
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Replaces a service's instances; blocked queries answer at once with a new index. */
  setService(name: string, instances: ConsulStandInInstance[]): void {
    this.services.set(name, instances);
    this.index++;
    for (const wake of [...this.waiters]) wake();
  }

  /** Stops listening (the client sees connection errors); `start()` again to come back on the same port. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server?.listening) return;
    for (const wake of [...this.waiters]) wake();
    const closed = once(server, 'close');
    server.close();
    server.closeAllConnections();
    await closed;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://consul');
    const token = request.headers['x-consul-token'];
    this.requests.push({
      path: url.pathname,
      query: url.searchParams,
      token: typeof token === 'string' ? token : undefined,
    });
    if (this.options.token && token !== this.options.token) {
      response.writeHead(403, { 'content-type': 'text/plain' }).end('ACL not found');
      return;
    }
    const match = /^\/v1\/health\/service\/([^/]+)$/.exec(url.pathname);
    if (request.method !== 'GET' || !match) {
      response.writeHead(404).end();
      return;
    }
    const dc = url.searchParams.get('dc');
    if (dc && this.options.datacenter && dc !== this.options.datacenter) {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(`No path to datacenter`);
      return;
    }
    const wanted = Number(url.searchParams.get('index') ?? 0);
    if (wanted > 0 && wanted >= this.index) {
      const waitSeconds = Number(/^(\d+)s$/.exec(url.searchParams.get('wait') ?? '')?.[1] ?? 300);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(waitSeconds, 600) * 1000);
        this.waiters.add(wake);
      });
    }
    const name = decodeURIComponent(match[1] ?? '');
    const passingOnly = url.searchParams.get('passing') !== null && url.searchParams.get('passing') !== 'false';
    const instances = (this.services.get(name) ?? []).filter((instance) => !passingOnly || instance.passing !== false);
    const body = instances.map((instance, position) => ({
      Node: { Node: `node-${position}`, Address: instance.address, Datacenter: this.options.datacenter ?? 'dc1' },
      Service: { ID: `${name}-${position}`, Service: name, Address: instance.address, Port: instance.port, Tags: [] },
      Checks: [{ Status: instance.passing === false ? 'critical' : 'passing' }],
    }));
    response.writeHead(200, { 'content-type': 'application/json', 'x-consul-index': String(this.index) });
    response.end(JSON.stringify(body));
  }
}

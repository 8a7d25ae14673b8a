import { Agent, createServer, IncomingMessage, request, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const FAILURE_THRESHOLD = 2;

export interface BalancedUpstream {
  /** http://host:port of the service. */
  url: string;
  /** http://host:port of its management listener (readiness). */
  managementUrl: string;
}

/**
 * A stand-in for a Kubernetes Service plus an ingress controller: round-robin HTTP proxy over the
 * ready upstreams, their `/health/ready` polled like a kubelet readiness probe (in after one 200, out
 * after two failures in a row; 2 s timeout, for a loaded machine). It never retries, so a request sent
 * to a replica that stopped accepting fails the way it would in a cluster.
 */
export class ReadinessBalancer {
  private server?: Server;
  private readonly ready = new Set<BalancedUpstream>();
  private readonly failures = new Map<BalancedUpstream, number>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private timer?: NodeJS.Timeout;
  private next = 0;
  url = '';

  constructor(
    private readonly upstreams: BalancedUpstream[],
    private readonly probeIntervalMs: number,
  ) {}

  async start(): Promise<void> {
    await this.probe();
    this.timer = setInterval(() => void this.probe(), this.probeIntervalMs);
    const server = createServer((req, res) => this.forward(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Upstreams currently in rotation. */
  get readyCount(): number {
    return this.ready.size;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.agent.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async probe(): Promise<void> {
    await Promise.all(
      this.upstreams.map(async (upstream) => {
        const ok = await fetch(`${upstream.managementUrl}/health/ready`, { signal: AbortSignal.timeout(2_000) })
          .then((response) => response.ok)
          .catch(() => false);
        const failures = ok ? 0 : (this.failures.get(upstream) ?? 0) + 1;
        this.failures.set(upstream, failures);
        if (ok) this.ready.add(upstream);
        else if (failures >= FAILURE_THRESHOLD) this.ready.delete(upstream);
      }),
    );
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const targets = [...this.ready];
    const chosen = targets[this.next++ % Math.max(targets.length, 1)];
    if (!chosen) {
      res.writeHead(503).end('no ready upstream');
      return;
    }
    const target = new URL(req.url ?? '/', chosen.url);
    const upstream = request(target, { method: req.method, headers: req.headers, agent: this.agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(`upstream error: ${error.message}`);
    });
    req.pipe(upstream);
  }
}

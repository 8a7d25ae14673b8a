import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, TestApp } from '@cxauth/testing';

/** What one fault scenario measured; printed and written to dist/fault-results/<scenario>.json. */
export interface FaultReport {
  scenario: string;
  requestsSent: number;
  /** Answers by HTTP status (`network` for a request that got no answer). */
  byStatus: Record<string, number>;
  /** Sessions (refresh-token chains) that ended in invalid_grant or could not refresh after recovery. */
  signInsLost: number;
  sessions: number;
  /** From the dependency's return to the first successful request that needs it (ms). */
  recoveryMs?: number;
  /** Latency of the 503 answers during the fault (ms). */
  unavailableMs?: { count: number; p50: number; p95: number; max: number };
  notes?: Record<string, unknown>;
}

export class LoadStats {
  sent = 0;
  readonly byStatus: Record<string, number> = {};
  private readonly unavailable: number[] = [];

  record(status: number | 'network', ms: number): void {
    this.sent++;
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
    if (status === 503) this.unavailable.push(ms);
  }

  unavailableLatency(): FaultReport['unavailableMs'] {
    if (this.unavailable.length === 0) return undefined;
    const sorted = [...this.unavailable].sort((a, b) => a - b);
    const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
    return { count: sorted.length, p50: at(0.5), p95: at(0.95), max: Math.round(sorted[sorted.length - 1]!) };
  }

  /** Statuses other than the expected ones (e.g. anything but 200 and 503). */
  unexpected(allowed: number[]): Record<string, number> {
    return Object.fromEntries(Object.entries(this.byStatus).filter(([status]) => !allowed.includes(Number(status))));
  }
}

/** Sends one request through fetch and records its status and latency. */
export async function timedFetch(stats: LoadStats, url: string, init?: RequestInit): Promise<Response | undefined> {
  const started = performance.now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
    await response.clone().arrayBuffer();
    stats.record(response.status, performance.now() - started);
    return response;
  } catch {
    stats.record('network', performance.now() - started);
    return undefined;
  }
}

/** Runs `workers` loops of `step` until `stop` resolves. */
export async function runLoad(workers: number, stop: Promise<unknown>, step: (worker: number) => Promise<unknown>) {
  let done = false;
  void stop.finally(() => (done = true));
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (!done) await step(worker);
    }),
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every 20 ms until it is true; returns the time it took (ms). */
export async function timeUntil(probe: () => Promise<boolean>, limitMs = 20_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < limitMs) {
    if (await probe()) return Math.round(performance.now() - started);
    await sleep(20);
  }
  throw new Error(`no recovery within ${limitMs} ms`);
}

/** A user's sign-in as a refresh-token chain: refreshed under load, lost only by invalid_grant. */
export class Session {
  lost = false;
  constructor(public refreshToken: string) {}
}

export function publish(report: FaultReport): void {
  const dir = join(__dirname, '..', '..', 'dist', 'fault-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${report.scenario}.json`), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`fault report ${JSON.stringify(report)}\n`);
}

/**
 * A private redis-server the scenario may kill and restart on the same port and data folder (AOF every
 * second, noeviction: the configuration README "Operations" asks for), never the machine's Redis.
 */
export class PrivateRedis {
  readonly dir = mkdtempSync(join(tmpdir(), 'cxauth-fault-redis-'));
  port = 0;
  private child?: ChildProcess;

  constructor(private readonly extraArgs: string[] = []) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', ''];
    args.push('--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction');
    const child = spawn('redis-server', [...args, ...this.extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`private redis did not start: ${output}`)), 10_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`private redis exited ${code}: ${output}`)));
    });
  }

  /** SIGKILL: no shutdown save, only what the AOF already holds survives. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Creates an OAuth client through the ops API (`ops:ops`, the test services' ops user). */
export async function createClient(app: TestApp, data: Record<string, unknown>): Promise<void> {
  const response = await app.http().post('/auth/v3/ops/clients').auth('ops', 'ops').send({ data });
  if (response.status !== 200)
    throw new Error(`create client failed: ${response.status} ${JSON.stringify(response.body)}`);
}

/** A token-endpoint form post as the scenarios' confidential client `svc`. */
export function serviceForm(body: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from('svc:svc-secret').toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(body).toString(),
  };
}

/** `count` sign-ins of the ops user (password grant) whose refresh-token chains the scenario follows. */
export async function signInSessions(base: string, count = 4): Promise<Session[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const response = await fetch(
        `${base}/auth/v3/oauth/token`,
        serviceForm({ grant_type: 'password', username: 'ops', password: 'ops' }),
      );
      if (response.status !== 200) throw new Error(`sign-in failed before the fault: ${response.status}`);
      return new Session(((await response.json()) as { refresh_token: string }).refresh_token);
    }),
  );
}

/** After the fault: every session not yet lost must still refresh, else it counts as lost. */
export async function refreshAfterFault(base: string, sessions: Session[]): Promise<void> {
  for (const session of sessions.filter((candidate) => !candidate.lost)) {
    const response = await fetch(
      `${base}/auth/v3/oauth/token`,
      serviceForm({ grant_type: 'refresh_token', refresh_token: session.refreshToken }),
    );
    if (response.status !== 200) session.lost = true;
  }
}

/** How many of these access tokens userinfo still accepts. */
export async function stillAccepted(base: string, tokens: { access_token: string }[]): Promise<number> {
  const statuses = await Promise.all(
    tokens.map(
      async ({ access_token }) =>
        (await fetch(`${base}/auth/v3/userinfo`, { headers: { authorization: `Bearer ${access_token}` } })).status,
    ),
  );
  return statuses.filter((status) => status === 200).length;
}

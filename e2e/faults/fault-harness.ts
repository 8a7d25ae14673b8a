import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { freePort, ServiceProcess, startServiceProcess, TEST_SERVICE_ENV, TestApp } from '@cxauth/testing';

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
  /** Latency of the 503 answers during the fault (ms), as the client saw it. */
  unavailableMs?: Latency;
  notes?: Record<string, unknown>;
}

/** One request the load sent: what it asked for, when it started (performance.now()), how it ended. */
export interface Sample {
  endpoint: string;
  status: number | 'network';
  startedAt: number;
  ms: number;
  /** The service's own time for the request (`Server-Timing: app;dur=`), when it sent one. */
  serviceMs?: number;
}

export interface Latency {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function latency(values: number[]): Latency | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: Math.round(sorted.at(-1)!) };
}

export class LoadStats {
  sent = 0;
  readonly byStatus: Record<string, number> = {};
  readonly samples: Sample[] = [];

  record(
    status: number | 'network',
    ms: number,
    endpoint = 'other',
    startedAt = performance.now() - ms,
    serviceMs?: number,
  ): void {
    this.sent++;
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
    this.samples.push({ endpoint, status, startedAt, ms, serviceMs });
  }

  /** Client-side latency of the 503 answers. */
  unavailableLatency(): Latency | undefined {
    return latency(this.unavailable().map((sample) => sample.ms));
  }

  /** The service's own time for its 503 answers (Server-Timing), where it reported one. */
  unavailableServiceLatency(): Latency | undefined {
    return latency(this.unavailable().flatMap((sample) => (sample.serviceMs === undefined ? [] : [sample.serviceMs])));
  }

  /**
   * 503 latency by endpoint; the 503s of requests that arrived after the cut (client and service side);
   * and those already in flight at the cut, timed from the cut (they had started their work before the
   * dependency went away and are answered when they reach it).
   */
  unavailableBreakdown(cutAt: number) {
    const unavailable = this.unavailable();
    const endpoints = [...new Set(unavailable.map((sample) => sample.endpoint))];
    const byEndpoint = Object.fromEntries(
      endpoints.map((endpoint) => [
        endpoint,
        latency(unavailable.filter((sample) => sample.endpoint === endpoint).map((sample) => sample.ms)),
      ]),
    );
    const after = unavailable.filter((sample) => sample.startedAt >= cutAt);
    const inFlight = unavailable.filter((sample) => sample.startedAt < cutAt);
    const slowest = [...after]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 3)
      .map((sample) => ({
        endpoint: sample.endpoint,
        ms: Math.round(sample.ms),
        serviceMs: sample.serviceMs === undefined ? undefined : Math.round(sample.serviceMs),
        startedAfterCutMs: Math.round(sample.startedAt - cutAt),
      }));
    return {
      byEndpoint,
      arrivedAfterCut: {
        clientMs: latency(after.map((sample) => sample.ms)),
        serviceMs: latency(after.flatMap((sample) => (sample.serviceMs === undefined ? [] : [sample.serviceMs]))),
        slowest,
      },
      inFlightAtCut: {
        answeredAfterCutMs: latency(inFlight.map((sample) => sample.startedAt + sample.ms - cutAt)),
        endpoints: [...new Set(inFlight.map((sample) => sample.endpoint))],
      },
    };
  }

  /**
   * From `since` (the dependency back) to the first 200 answer completed after it (ms): the load's own
   * requests count, so one probe slowed by the busy machine does not stretch the figure.
   */
  firstSuccessAfter(since: number): number | undefined {
    const ends = this.samples
      .filter((sample) => sample.status === 200 && sample.startedAt + sample.ms > since)
      .map((sample) => sample.startedAt + sample.ms - since);
    return ends.length === 0 ? undefined : Math.round(Math.min(...ends));
  }

  /** Statuses other than the expected ones (e.g. anything but 200 and 503). */
  unexpected(allowed: number[]): Record<string, number> {
    return Object.fromEntries(Object.entries(this.byStatus).filter(([status]) => !allowed.includes(Number(status))));
  }

  private unavailable(): Sample[] {
    return this.samples.filter((sample) => sample.status === 503);
  }
}

/** `POST /auth/v3/oauth/token` is named by its grant type; other requests by path. */
function endpointOf(url: string, init?: RequestInit): string {
  const path = new URL(url).pathname;
  const grant = typeof init?.body === 'string' ? new URLSearchParams(init.body).get('grant_type') : null;
  return grant ? `${path} ${grant}` : path;
}

/** `Server-Timing: app;dur=12.3` → 12.3. */
function serverTiming(response: Response): number | undefined {
  const match = /(?:^|,)\s*app;dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Sends one request through fetch and records its status and latency. */
export async function timedFetch(stats: LoadStats, url: string, init?: RequestInit): Promise<Response | undefined> {
  const started = performance.now();
  const endpoint = endpointOf(url, init);
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
    await response.clone().arrayBuffer();
    stats.record(response.status, performance.now() - started, endpoint, started, serverTiming(response));
    return response;
  } catch {
    stats.record('network', performance.now() - started, endpoint, started);
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

/**
 * The test process's event loop while `run` goes: its delay (p99, max) and each stall over 50 ms (when,
 * from `performance.now()`, and how long). The in-process service and the load share this loop, so a
 * stall delays answers on both sides.
 */
export async function withEventLoopDelay<T>(
  run: () => Promise<T>,
): Promise<[T, { p99: number; max: number; stalls: { at: number; ms: number }[] }]> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  const stalls: { at: number; ms: number }[] = [];
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    if (now - last > 55) stalls.push({ at: last, ms: Math.round(now - last - 5) });
    last = now;
  }, 5);
  histogram.enable();
  try {
    const result = await run();
    const delay = { p99: Math.round(histogram.percentile(99) / 1e6), max: Math.round(histogram.max / 1e6), stalls };
    return [result, delay];
  } finally {
    clearInterval(ticker);
    histogram.disable();
  }
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

const AUTH_API = join(__dirname, '../../dist/apps/auth-api/src/main.js');

/** A built auth-api in its own process: its event loop is not the load generator's. */
export interface AuthApiProcess extends ServiceProcess {
  /** The service's log lines (JSON) so far. */
  logLines(): Record<string, unknown>[];
  stop(): Promise<void>;
}

/**
 * Starts the built auth-api (`node tools/build.mjs` first; `npm run test:faults` does) with the scenarios'
 * confidential client `svc`, logging at info (503 answers and Redis reconnects are logged there).
 */
export async function startAuthApi(env: Record<string, string>): Promise<AuthApiProcess> {
  const service = await startServiceProcess(AUTH_API, { ...TEST_SERVICE_ENV, LOG_LEVEL: 'info', ...env });
  const stop = async () => {
    if (service.child.exitCode !== null) return;
    const exited = once(service.child, 'exit');
    service.child.kill('SIGTERM');
    await exited;
  };
  const logLines = () =>
    service.output
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  try {
    await createServiceClient(service.url);
  } catch (error) {
    await stop();
    throw error;
  }
  return { ...service, logLines, stop };
}

/** Creates the scenarios' confidential client `svc` on a running service (ops Basic `ops:ops`). */
export async function createServiceClient(url: string): Promise<void> {
  const created = await fetch(`${url}/auth/v3/ops/clients`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from('ops:ops').toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      data: {
        client_id: 'svc',
        client_secret: 'svc-secret',
        authorizedGrantTypes: ['client_credentials', 'password', 'refresh_token'],
      },
    }),
  });
  if (created.status !== 200) throw new Error(`create client failed: ${created.status} ${await created.text()}`);
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

/**
 * A load step that refreshes the worker's session (round robin): a new token on 200, the session lost
 * on 400 (invalid_grant), a short pause on anything else (503 during the fault).
 */
export function refreshStep(stats: LoadStats, base: string, sessions: Session[]) {
  return async (worker: number): Promise<void> => {
    const session = sessions[worker % sessions.length]!;
    if (session.lost) return sleep(50).then(() => undefined);
    const response = await timedFetch(
      stats,
      `${base}/auth/v3/oauth/token`,
      serviceForm({ grant_type: 'refresh_token', refresh_token: session.refreshToken }),
    );
    if (response?.status === 200)
      session.refreshToken = ((await response.json()) as { refresh_token: string }).refresh_token;
    else if (response?.status === 400) session.lost = true;
    else await sleep(20);
  };
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

/**
 * The outage promise, a 503 within 100 ms. Every 503 reports the service's own time (`Server-Timing`);
 * for the requests that arrived while the dependency was away, that time is under 100 ms for each, and
 * the client-side 95th percentile (which adds the load generator's own queueing on this shared machine)
 * is under 100 ms too. A request already in flight at the cut had started its work before (a refresh's
 * PostgreSQL transaction): it is answered when it reaches the missing store, within a second of the cut.
 * `cutAt` is when the service could know of the loss (for a killed Redis, its own `redis connection
 * lost` log line): a request that arrived before that was in flight, whatever the load generator's clock says.
 */
export function expectFastUnavailable(stats: LoadStats, cutAt: number): void {
  const { arrivedAfterCut, inFlightAtCut } = stats.unavailableBreakdown(cutAt);
  expect(stats.unavailableServiceLatency()?.count).toBe(stats.unavailableLatency()?.count);
  expect(arrivedAfterCut.serviceMs!.max).toBeLessThan(100);
  expect(arrivedAfterCut.clientMs!.p95).toBeLessThan(100);
  expect(inFlightAtCut.answeredAfterCutMs?.max ?? 0).toBeLessThan(1_000);
}

import { loadavg } from 'node:os';
import { processStats } from './processes';
import type { RunSample } from './report';

/** The request autocannon repeats; the same shape is sent to the ceiling server. */
export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

interface AutocannonHistogram {
  p50: number;
  p99: number;
  max: number;
  mean: number;
  total?: number;
}

interface AutocannonResult {
  latency: AutocannonHistogram;
  requests: AutocannonHistogram;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}

type Autocannon = (
  options: Record<string, unknown>,
  callback: (error: Error | null, result: AutocannonResult) => void,
) => { stop(): void };

// autocannon ships no types; this is the part of its programmatic API used here.
const autocannon = require('autocannon') as Autocannon;

export interface LoadRun {
  baseUrl: string;
  request: RequestSpec;
  connections: number;
  durationSeconds: number;
  /** The server process whose RSS and CPU time are sampled during the run. */
  pid: number;
  /** Reads Redis's own CPU seconds (INFO cpu), to charge each target its Redis work; optional. */
  redisCpu?: () => Promise<number | null>;
}

function fire(run: LoadRun): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: new URL(run.request.path, run.baseUrl).toString(),
        method: run.request.method,
        headers: run.request.headers,
        body: run.request.body,
        connections: run.connections,
        pipelining: 1,
        duration: run.durationSeconds,
        timeout: 10,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

/** One autocannon run with RSS/CPU sampling of the server process (every 250 ms). */
export async function measure(run: LoadRun, roundNumber: number): Promise<RunSample> {
  const redisBefore = (await run.redisCpu?.()) ?? null;
  const before = await processStats(run.pid);
  let peak = before?.rssBytes ?? 0;
  const sampler = setInterval(() => {
    void processStats(run.pid).then((stats) => {
      if (stats && stats.rssBytes > peak) peak = stats.rssBytes;
    });
  }, 250);
  const started = process.hrtime.bigint();
  let result: AutocannonResult;
  try {
    result = await fire(run);
  } finally {
    clearInterval(sampler);
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const after = await processStats(run.pid);
  const redisAfter = (await run.redisCpu?.()) ?? null;
  if (after && after.rssBytes > peak) peak = after.rssBytes;
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count]),
  );
  const requests = Object.values(statusCodes).reduce((sum, count) => sum + count, 0);
  const durationSeconds = result.duration || elapsed;
  return {
    round: roundNumber,
    durationSeconds,
    requests,
    requestsPerSecond: requests / durationSeconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    errors: result.errors + result.non2xx, // autocannon counts timeouts among errors
    statusCodes,
    rssStartBytes: before?.rssBytes ?? 0,
    rssEndBytes: after?.rssBytes ?? 0,
    rssPeakBytes: peak,
    cpuSeconds: before && after ? after.cpuSeconds - before.cpuSeconds : null,
    redisCpuSeconds: redisBefore !== null && redisAfter !== null ? redisAfter - redisBefore : null,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** Unmeasured load (JIT, caches, connection pools). */
export async function warmUp(run: LoadRun): Promise<void> {
  if (run.durationSeconds > 0) await fire(run);
}

/** Sends the request once and returns status and body (the preflight that proves a target works). */
export async function sendOnce(
  baseUrl: string,
  request: RequestSpec,
): Promise<{ status: number; body: string; headers: Headers }> {
  const response = await fetch(new URL(request.path, baseUrl), {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

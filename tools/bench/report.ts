/** Pure maths and formatting of benchmark results (unit-tested; no I/O here). */

export type TargetRole = 'ours' | 'peer' | 'floor' | 'ceiling';

/** One measured autocannon run of one target. */
export interface RunSample {
  round: number;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Socket errors (timeouts included) + non-2xx answers. */
  errors: number;
  statusCodes: Record<string, number>;
  rssStartBytes: number;
  rssEndBytes: number;
  rssPeakBytes: number;
  /** CPU seconds (user + system) the target process used during the run; null when unknown. */
  cpuSeconds: number | null;
  /** CPU seconds Redis spent during the run (all its clients; other work on the machine adds noise). */
  redisCpuSeconds?: number | null;
  /** The machine's 1-minute load average when the run ended (other work on a shared machine shows here). */
  loadAverage?: number;
}

export interface TargetResult {
  id: string;
  role: TargetRole;
  label: string;
  /** Set when the target could not be measured (e.g. its endpoint answered 404 on the preflight). */
  unavailable?: string;
  samples: RunSample[];
}

export interface TargetSummary {
  id: string;
  role: TargetRole;
  label: string;
  unavailable?: string;
  rounds: number;
  /** Mean over rounds. */
  requestsPerSecond: number;
  /** Smallest and largest round, to show the spread between A/B/A/B rounds. */
  requestsPerSecondMin: number;
  requestsPerSecondMax: number;
  /** Median over rounds. */
  p50Ms: number;
  /** Worst round (conservative). */
  p99Ms: number;
  errors: number;
  /** Largest RSS seen during any measured round. */
  rssPeakMb: number;
  /** Target process CPU use during the measured rounds, in cores (1.0 = one core busy). */
  cpuCores: number | null;
  /** Requests per CPU-second of the target process (e.g. logins/s per core). */
  requestsPerCoreSecond: number | null;
  /** Redis CPU microseconds per request during the measured rounds (null when not sampled). */
  redisCpuUsPerRequest: number | null;
}

export interface RatioCheck {
  scenario: string;
  name: string;
  /** Required value (ratio ≥ min, or value ≤ max). */
  min?: number;
  max?: number;
  measured: number | null;
  pass: boolean;
}

export interface ScenarioDefinitionLike {
  id: string;
  title: string;
  /** Target id of the peer the ratio requirement is measured against, and the required ratio. */
  requirement?: { peer: string; minRatio: number };
  /** Whether the p99 and error targets apply. */
  latencyBudgetMs?: number;
}

export interface ScenarioSummary {
  id: string;
  title: string;
  targets: TargetSummary[];
  /** ours / every other target: requests per second, and requests per CPU-second of the server process. */
  ratios: { versus: string; ratio: number | null; perCpuRatio: number | null }[];
  checks: RatioCheck[];
  /** Present when the scenario has a requirement and the floor was measured. */
  headroom?: { scenario: string; required: number; floorOverPeer: number; oursOverFloor: number };
}

const MB = 1024 * 1024;

export function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function summariseTarget(target: TargetResult): TargetSummary {
  const { samples } = target;
  const rps = samples.map((sample) => sample.requestsPerSecond);
  const cpuKnown = samples.every((sample) => sample.cpuSeconds !== null) && samples.length > 0;
  const cpuSeconds = cpuKnown ? samples.reduce((sum, sample) => sum + (sample.cpuSeconds ?? 0), 0) : null;
  const redisKnown = samples.length > 0 && samples.every((sample) => typeof sample.redisCpuSeconds === 'number');
  const redisSeconds = redisKnown ? samples.reduce((sum, sample) => sum + (sample.redisCpuSeconds ?? 0), 0) : null;
  const seconds = samples.reduce((sum, sample) => sum + sample.durationSeconds, 0);
  const requests = samples.reduce((sum, sample) => sum + sample.requests, 0);
  return {
    id: target.id,
    role: target.role,
    label: target.label,
    ...(target.unavailable ? { unavailable: target.unavailable } : {}),
    rounds: samples.length,
    requestsPerSecond: round(mean(rps), 1),
    requestsPerSecondMin: round(samples.length ? Math.min(...rps) : 0, 1),
    requestsPerSecondMax: round(samples.length ? Math.max(...rps) : 0, 1),
    p50Ms: round(median(samples.map((sample) => sample.p50Ms))),
    p99Ms: round(samples.length ? Math.max(...samples.map((sample) => sample.p99Ms)) : 0),
    errors: samples.reduce((sum, sample) => sum + sample.errors, 0),
    rssPeakMb: round(samples.length ? Math.max(...samples.map((sample) => sample.rssPeakBytes)) / MB : 0, 1),
    cpuCores: cpuSeconds !== null && seconds > 0 ? round(cpuSeconds / seconds) : null,
    requestsPerCoreSecond: cpuSeconds !== null && cpuSeconds > 0 ? round(requests / cpuSeconds, 1) : null,
    redisCpuUsPerRequest: redisSeconds !== null && requests > 0 ? round((redisSeconds * 1e6) / requests, 1) : null,
  };
}

/** ours ÷ other; null when either side was not measured. */
export function ratio(ours: TargetSummary | undefined, other: TargetSummary | undefined): number | null {
  if (!ours || !other || ours.unavailable || other.unavailable) return null;
  if (ours.rounds === 0 || other.rounds === 0 || other.requestsPerSecond <= 0) return null;
  return round(ours.requestsPerSecond / other.requestsPerSecond);
}

/** ours ÷ other in requests per CPU-second (efficiency; steadier than req/s on a busy machine). */
export function perCpuRatio(ours: TargetSummary | undefined, other: TargetSummary | undefined): number | null {
  if (!ours || !other || ours.unavailable || other.unavailable) return null;
  if (!ours.requestsPerCoreSecond || !other.requestsPerCoreSecond) return null;
  return round(ours.requestsPerCoreSecond / other.requestsPerCoreSecond);
}

export function summariseScenario(definition: ScenarioDefinitionLike, results: TargetResult[]): ScenarioSummary {
  const targets = results.map(summariseTarget);
  const ours = targets.find((target) => target.role === 'ours');
  const ratios = targets
    .filter((target) => target !== ours)
    .map((target) => ({ versus: target.id, ratio: ratio(ours, target), perCpuRatio: perCpuRatio(ours, target) }));
  const checks: RatioCheck[] = [];
  if (definition.requirement) {
    const measured = ratio(
      ours,
      targets.find((target) => target.id === definition.requirement!.peer),
    );
    checks.push({
      scenario: definition.id,
      name: `ours / ${definition.requirement.peer} requests/s`,
      min: definition.requirement.minRatio,
      measured,
      pass: measured !== null && measured >= definition.requirement.minRatio,
    });
  }
  if (definition.latencyBudgetMs !== undefined) {
    const measured = ours && !ours.unavailable && ours.rounds > 0 ? ours.p99Ms : null;
    checks.push({
      scenario: definition.id,
      name: 'ours p99 ms',
      max: definition.latencyBudgetMs,
      measured,
      pass: measured !== null && measured <= definition.latencyBudgetMs,
    });
    const errors = ours && !ours.unavailable && ours.rounds > 0 ? ours.errors : null;
    checks.push({
      scenario: definition.id,
      name: 'ours errors',
      max: 0,
      measured: errors,
      pass: errors === 0,
    });
  }
  const summary: ScenarioSummary = { id: definition.id, title: definition.title, targets, ratios, checks };
  const headroom = floorHeadroom(definition, summary);
  return headroom ? { ...summary, headroom } : summary;
}

/**
 * How far the requirement is from the floor: floor ÷ peer is the most any Fastify + ioredis service can
 * reach against the peer on this machine; a requirement above it cannot be met by a complete product.
 */
export function floorHeadroom(
  definition: ScenarioDefinitionLike,
  scenario: ScenarioSummary,
): { scenario: string; required: number; floorOverPeer: number; oursOverFloor: number } | null {
  if (!definition.requirement) return null;
  const peer = scenario.targets.find((target) => target.id === definition.requirement!.peer);
  const floor = scenario.targets.find((target) => target.role === 'floor');
  const ours = scenario.targets.find((target) => target.role === 'ours');
  const floorOverPeer = floor && peer ? ratio(floor, peer) : null;
  const oursOverFloor = ratio(ours, floor);
  if (floorOverPeer === null || oursOverFloor === null) return null;
  return { scenario: definition.id, required: definition.requirement.minRatio, floorOverPeer, oursOverFloor };
}

function cell(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '–' : value.toFixed(digits);
}

/** The results as Markdown: one row per target, then the pass/fail table of the targets. */
export function markdownReport(
  scenarios: ScenarioSummary[],
  context: { date: string; machine: string; settings: string },
  extra: string[] = [],
): string {
  const lines = [
    `# cxauth benchmark — ${context.date}`,
    '',
    `Machine: ${context.machine}. ${context.settings}`,
    '',
    '| Scenario | Target | req/s (mean) | min–max | p50 ms | p99 ms | errors | RSS MB | CPU cores | req per CPU-s | Redis CPU µs/req | ours ÷ this (req/s) | ours ÷ this (per CPU-s) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const scenario of scenarios) {
    for (const target of scenario.targets) {
      const versus = scenario.ratios.find((entry) => entry.versus === target.id);
      const ratioCell = target.role === 'ours' ? '1.00' : cell(versus?.ratio, 2);
      const perCpuCell = target.role === 'ours' ? '1.00' : cell(versus?.perCpuRatio, 2);
      if (target.unavailable) {
        lines.push(`| ${scenario.title} | ${target.label} | not measured: ${target.unavailable} | | | | | | | | | | |`);
        continue;
      }
      lines.push(
        `| ${scenario.title} | ${target.role === 'ours' ? `**${target.label}**` : target.label} | ${cell(target.requestsPerSecond, 0)} | ${cell(target.requestsPerSecondMin, 0)}–${cell(target.requestsPerSecondMax, 0)} | ${cell(target.p50Ms, 2)} | ${cell(target.p99Ms, 2)} | ${target.errors} | ${cell(target.rssPeakMb)} | ${cell(target.cpuCores, 2)} | ${cell(target.requestsPerCoreSecond, 0)} | ${cell(target.redisCpuUsPerRequest, 0)} | ${ratioCell} | ${perCpuCell} |`,
      );
    }
  }
  const checks = scenarios.flatMap((scenario) => scenario.checks);
  if (checks.length) {
    lines.push('', '| Scenario | Requirement | Measured | Result |', '|---|---|---:|---|');
    for (const check of checks) {
      const requirement = check.min !== undefined ? `${check.name} ≥ ${check.min}` : `${check.name} ≤ ${check.max}`;
      lines.push(
        `| ${check.scenario} | ${requirement} | ${cell(check.measured, 2)} | ${check.pass ? 'pass' : '**FAIL**'} |`,
      );
    }
  }
  const headroom = scenarios.flatMap((scenario) => (scenario.headroom ? [scenario.headroom] : []));
  if (headroom.length) {
    lines.push(
      '',
      '| Scenario | required ours ÷ peer | floor ÷ peer (most a Fastify + ioredis service reaches) | ours ÷ floor |',
      '|---|---:|---:|---:|',
    );
    for (const entry of headroom) {
      lines.push(
        `| ${entry.scenario} | ${entry.required.toFixed(1)} | ${entry.floorOverPeer.toFixed(2)} | ${entry.oursOverFloor.toFixed(2)} |`,
      );
    }
  }
  if (extra.length) lines.push('', ...extra);
  return `${lines.join('\n')}\n`;
}

/** RSS over a long run: range, and the mean of the first and last minute (flat ⇔ the two agree). */
export function rssTrend(samples: { seconds: number; rssMb: number }[]): {
  minMb: number;
  maxMb: number;
  firstMinuteMeanMb: number;
  lastMinuteMeanMb: number;
} {
  if (samples.length === 0) return { minMb: 0, maxMb: 0, firstMinuteMeanMb: 0, lastMinuteMeanMb: 0 };
  const values = samples.map((sample) => sample.rssMb);
  const end = samples.at(-1)!.seconds;
  const first = samples.filter((sample) => sample.seconds < 60).map((sample) => sample.rssMb);
  const last = samples.filter((sample) => sample.seconds > end - 60).map((sample) => sample.rssMb);
  return {
    minMb: Math.min(...values),
    maxMb: Math.max(...values),
    firstMinuteMeanMb: round(mean(first), 1),
    lastMinuteMeanMb: round(mean(last), 1),
  };
}

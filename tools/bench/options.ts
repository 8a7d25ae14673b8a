import { parseArgs } from 'node:util';

export const SCENARIO_IDS = ['cc-opaque', 'cc-jwt', 'userinfo', 'introspect', 'password'] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

export interface BenchOptions {
  /** Measured seconds per target per round. */
  durationSeconds: number;
  /** Unmeasured seconds per target before its first round of a scenario. */
  warmupSeconds: number;
  /** A/B/A/B: how many times every target of a scenario is measured, alternating. */
  rounds: number;
  connections: number;
  scenarios: ScenarioId[];
  /** Optional long run on auth-api (client_credentials, opaque) sampling RSS; 0 = skipped. */
  rssMinutes: number;
  /** Start auth-api with `--cpu-prof` and summarise the profile. */
  cpuProfile: boolean;
  /** Results folder (git-ignored). */
  outDir: string;
  help: boolean;
  /** Extra variables for auth-api (experiments only: the run is then not the production defaults). */
  authApiEnv: Record<string, string>;
}

export const USAGE = `npm run bench -- [options]

  --duration <s>      measured seconds per target per round (default 10)
  --warmup <s>        warm-up seconds per target per scenario (default 3)
  --rounds <n>        A/B/A/B rounds per scenario (default 2)
  --connections <n>   autocannon connections (default 10)
  --scenarios <list>  comma-separated subset of ${SCENARIO_IDS.join(',')} (default all)
  --rss-minutes <m>   also run client_credentials on auth-api for m minutes sampling RSS (default 0 = off)
  --cpu-prof          start auth-api with node --cpu-prof and print the hottest functions
  --auth-api-env K=V  extra variable for auth-api, repeatable (an experiment: e.g. LOG_REQUESTS=all,
                      NODE_OPTIONS=--max-semi-space-size=32); the report marks the run as non-default
  --out <dir>         results folder (default bench-results)
  --quick             --duration 3 --warmup 1 --rounds 1 (smoke run)
  -h, --help          this text`;

function numberOption(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`--${name} must be a number between ${min} and ${max} (got "${raw}")`);
  }
  return value;
}

const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;

function parseEnvPairs(pairs: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const index = pair.indexOf('=');
    const name = index > 0 ? pair.slice(0, index) : '';
    if (!ENV_NAME.test(name))
      throw new Error(`--auth-api-env must be NAME=value with an upper-case NAME (got "${pair}")`);
    env[name] = pair.slice(index + 1);
  }
  return env;
}

/** Parses the command line strictly: unknown flags and out-of-range values are errors. */
export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      scenarios: { type: 'string' },
      'rss-minutes': { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      'auth-api-env': { type: 'string', multiple: true },
      out: { type: 'string' },
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const quick = values.quick === true;
  const scenarios =
    values.scenarios === undefined ? [...SCENARIO_IDS] : values.scenarios.split(',').map((s) => s.trim());
  for (const scenario of scenarios) {
    if (!(SCENARIO_IDS as readonly string[]).includes(scenario)) {
      throw new Error(`--scenarios: unknown scenario "${scenario}" (known: ${SCENARIO_IDS.join(', ')})`);
    }
  }
  return {
    durationSeconds: numberOption('duration', values.duration, quick ? 3 : 10, 1, 600),
    warmupSeconds: numberOption('warmup', values.warmup, quick ? 1 : 3, 0, 120),
    rounds: Math.round(numberOption('rounds', values.rounds, quick ? 1 : 2, 1, 10)),
    connections: Math.round(numberOption('connections', values.connections, 10, 1, 1000)),
    scenarios: [...new Set(scenarios)] as ScenarioId[],
    rssMinutes: numberOption('rss-minutes', values['rss-minutes'], 0, 0, 60),
    cpuProfile: values['cpu-prof'] === true,
    outDir: values.out ?? 'bench-results',
    help: values.help === true,
    authApiEnv: parseEnvPairs(values['auth-api-env'] ?? []),
  };
}

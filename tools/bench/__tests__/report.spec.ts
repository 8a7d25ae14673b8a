import { renderChart } from '../chart';
import { parseBenchOptions, SCENARIO_IDS } from '../options';
import { redisCpuFromInfo } from '../processes';
import { packageOf, summariseProfile } from '../profile';
import {
  floorHeadroom,
  markdownReport,
  median,
  ratio,
  rssTrend,
  RunSample,
  summariseScenario,
  summariseTarget,
  TargetResult,
} from '../report';
import { validateTokenResponse } from '../scenarios';

const MB = 1024 * 1024;

function sample(overrides: Partial<RunSample> = {}): RunSample {
  return {
    round: 1,
    durationSeconds: 10,
    requests: 10_000,
    requestsPerSecond: 1000,
    p50Ms: 4,
    p99Ms: 9,
    maxMs: 30,
    errors: 0,
    statusCodes: { '200': 10_000 },
    rssStartBytes: 100 * MB,
    rssEndBytes: 110 * MB,
    rssPeakBytes: 120 * MB,
    cpuSeconds: 8,
    redisCpuSeconds: 0.5,
    ...overrides,
  };
}

function target(id: string, role: TargetResult['role'], samples: RunSample[], unavailable?: string): TargetResult {
  return { id, role, label: id, samples, ...(unavailable ? { unavailable } : {}) };
}

describe('benchmark report maths', () => {
  it('summarises A/B/A/B rounds: mean req/s, median p50, worst p99, peak RSS, CPU per request', () => {
    const summary = summariseTarget(
      target('cxauth', 'ours', [
        sample({
          round: 1,
          requestsPerSecond: 900,
          requests: 9000,
          p50Ms: 3,
          p99Ms: 12,
          cpuSeconds: 9,
          rssPeakBytes: 130 * MB,
        }),
        sample({ round: 2, requestsPerSecond: 1100, requests: 11_000, p50Ms: 5, p99Ms: 8, cpuSeconds: 11, errors: 2 }),
      ]),
    );
    expect(summary).toMatchObject({
      rounds: 2,
      requestsPerSecond: 1000,
      requestsPerSecondMin: 900,
      requestsPerSecondMax: 1100,
      p50Ms: 4,
      p99Ms: 12,
      errors: 2,
      rssPeakMb: 130,
      cpuCores: 1, // 20 CPU-seconds over 20 measured seconds
      requestsPerCoreSecond: 1000, // 20 000 requests / 20 CPU-seconds
      redisCpuUsPerRequest: 50, // 1 Redis CPU-second / 20 000 requests
    });
  });

  it('describes an RSS series by its range and first- and last-minute means', () => {
    const series = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120].map((seconds, index) => ({
      seconds,
      rssMb: 100 + (index % 2) * 10,
    }));
    expect(rssTrend(series)).toEqual({ minMb: 100, maxMb: 110, firstMinuteMeanMb: 105, lastMinuteMeanMb: 105 });
    expect(rssTrend([])).toEqual({ minMb: 0, maxMb: 0, firstMinuteMeanMb: 0, lastMinuteMeanMb: 0 });
  });

  it('computes median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
  });

  it('reports ours ÷ peer and fails a requirement that is missed, an error, or a slow p99', () => {
    const scenario = summariseScenario(
      { id: 'cc-opaque', title: 'cc', requirement: { peer: 'oidc-redis', minRatio: 2 }, latencyBudgetMs: 15 },
      [
        target('cxauth', 'ours', [
          sample({ requestsPerSecond: 3000, p99Ms: 16, errors: 1, requests: 30_000, cpuSeconds: 10 }),
        ]),
        target('oidc-redis', 'peer', [sample({ requestsPerSecond: 1600, requests: 16_000, cpuSeconds: 8 })]),
        target('ceiling', 'ceiling', [sample({ requestsPerSecond: 12_000, cpuSeconds: null })]),
      ],
    );
    expect(scenario.ratios).toEqual([
      { versus: 'oidc-redis', ratio: 1.88, perCpuRatio: 1.5 }, // 3000 vs 2000 requests per CPU-second
      { versus: 'ceiling', ratio: 0.25, perCpuRatio: null },
    ]);
    expect(scenario.checks.map((check) => [check.name, check.measured, check.pass])).toEqual([
      ['ours / oidc-redis requests/s', 1.88, false],
      ['ours p99 ms', 16, false],
      ['ours errors', 1, false],
    ]);
  });

  it('shows how far the requirement is from the floor (floor ÷ peer) and ours ÷ floor', () => {
    const definition = { id: 'cc-opaque', title: 'cc', requirement: { peer: 'oidc-redis', minRatio: 2 } };
    const scenario = summariseScenario(definition, [
      target('cxauth', 'ours', [sample({ requestsPerSecond: 6000 })]),
      target('oidc-redis', 'peer', [sample({ requestsPerSecond: 4000 })]),
      target('floor', 'floor', [sample({ requestsPerSecond: 9000 })]),
    ]);
    expect(scenario.headroom).toEqual({ scenario: 'cc-opaque', required: 2, floorOverPeer: 2.25, oursOverFloor: 0.67 });
    expect(markdownReport([scenario], { date: 'd', machine: 'm', settings: 's' })).toContain(
      '| cc-opaque | 2.0 | 2.25 | 0.67 |',
    );
    const withoutFloor = summariseScenario(definition, [
      target('cxauth', 'ours', [sample({ requestsPerSecond: 6000 })]),
      target('oidc-redis', 'peer', [sample({ requestsPerSecond: 4000 })]),
    ]);
    expect(withoutFloor.headroom).toBeUndefined();
    expect(floorHeadroom({ id: 'password', title: 'p' }, scenario)).toBeNull();
  });

  it('passes when every requirement is met and treats an unmeasured target as a failure, not a pass', () => {
    const passing = summariseScenario(
      { id: 'introspect', title: 'i', requirement: { peer: 'oidc-redis', minRatio: 2 }, latencyBudgetMs: 15 },
      [
        target('cxauth', 'ours', [sample({ requestsPerSecond: 4000 })]),
        target('oidc-redis', 'peer', [sample({ requestsPerSecond: 1000 })]),
      ],
    );
    expect(passing.checks.every((check) => check.pass)).toBe(true);
    const missing = summariseScenario(
      { id: 'introspect', title: 'i', requirement: { peer: 'oidc-redis', minRatio: 2 }, latencyBudgetMs: 15 },
      [target('cxauth', 'ours', [], 'HTTP 404'), target('oidc-redis', 'peer', [sample()])],
    );
    expect(missing.checks.map((check) => check.pass)).toEqual([false, false, false]);
    expect(
      ratio(summariseTarget(target('a', 'ours', [sample()])), summariseTarget(target('b', 'peer', []))),
    ).toBeNull();
  });

  it('renders a Markdown table with ratios and a FAIL line, and an SVG with one bar per measured target', () => {
    const scenario = summariseScenario(
      {
        id: 'cc-jwt',
        title: 'client_credentials, JWT',
        requirement: { peer: 'oidc-redis', minRatio: 1.5 },
        latencyBudgetMs: 15,
      },
      [
        target('cxauth', 'ours', [sample({ requestsPerSecond: 2000 })]),
        target('oidc-redis', 'peer', [sample({ requestsPerSecond: 1600 })]),
        target('oidc-memory', 'peer', [], 'refused <connection>'),
      ],
    );
    const markdown = markdownReport([scenario], { date: 'd', machine: 'm', settings: 's' });
    expect(markdown).toContain(
      '| client_credentials, JWT | **cxauth** | 2000 | 2000–2000 | 4.00 | 9.00 | 0 | 120.0 | 0.80 | 1250 | 50 | 1.00 | 1.00 |',
    );
    expect(markdown).toContain(
      '| client_credentials, JWT | oidc-redis | 1600 | 1600–1600 | 4.00 | 9.00 | 0 | 120.0 | 0.80 | 1250 | 50 | 1.25 | 1.00 |',
    );
    expect(markdown).toContain('| cc-jwt | ours / oidc-redis requests/s ≥ 1.5 | 1.25 | **FAIL** |');
    expect(markdown).toContain('not measured: refused <connection>');
    const svg = renderChart([scenario], 'title & <more>');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect x="260"/g)).toHaveLength(2);
    expect(svg).toContain('title &#38; &#60;more&#62;');
    expect(svg).toContain('not measured');
  });
});

describe('benchmark options', () => {
  it('has bounded defaults and a quick mode', () => {
    expect(parseBenchOptions([])).toMatchObject({
      durationSeconds: 10,
      warmupSeconds: 3,
      rounds: 2,
      connections: 10,
      rssMinutes: 0,
      cpuProfile: false,
    });
    expect(parseBenchOptions([]).scenarios).toEqual([...SCENARIO_IDS]);
    expect(parseBenchOptions(['--quick'])).toMatchObject({ durationSeconds: 3, warmupSeconds: 1, rounds: 1 });
    expect(parseBenchOptions(['--scenarios', 'cc-jwt,userinfo', '--rss-minutes', '5', '--cpu-prof'])).toMatchObject({
      scenarios: ['cc-jwt', 'userinfo'],
      rssMinutes: 5,
      cpuProfile: true,
    });
  });

  it('refuses unknown flags, unknown scenarios and out-of-range numbers', () => {
    expect(() => parseBenchOptions(['--bogus'])).toThrow();
    expect(() => parseBenchOptions(['--scenarios', 'cc-opaque,nope'])).toThrow('unknown scenario "nope"');
    expect(() => parseBenchOptions(['--duration', '0'])).toThrow('--duration must be a number between 1 and 600');
    expect(() => parseBenchOptions(['--rss-minutes', 'x'])).toThrow('--rss-minutes');
    expect(() => parseBenchOptions(['--auth-api-env', 'lower=1'])).toThrow('--auth-api-env must be NAME=value');
    expect(
      parseBenchOptions(['--auth-api-env', 'LOG_REQUESTS=false', '--auth-api-env', 'NODE_OPTIONS=--a=1']).authApiEnv,
    ).toEqual({ LOG_REQUESTS: 'false', NODE_OPTIONS: '--a=1' });
  });
});

describe('benchmark preflight and profile', () => {
  it('accepts only the token format the scenario asks for', () => {
    const jwt = `${Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'at+jwt' })).toString('base64url')}.e30.c2ln`;
    const answer = (token: string) => JSON.stringify({ access_token: token, token_type: 'bearer', expires_in: 60 });
    expect(validateTokenResponse('jwt')(200, answer(jwt))).toBeNull();
    expect(validateTokenResponse('opaque')(200, answer(jwt))).toBe('expected an opaque token, got a JWT');
    expect(validateTokenResponse('jwt')(200, answer('5f1ecb33-5c63-4606-8e30-824e494194c6'))).toContain(
      'got an opaque token',
    );
    expect(validateTokenResponse('opaque')(200, answer('5f1ecb33-5c63-4606-8e30-824e494194c6'))).toBeNull();
    expect(validateTokenResponse('opaque')(401, '{"error":"invalid_client"}')).toBe(
      'HTTP 401: {"error":"invalid_client"}',
    );
  });

  it('attributes self time to functions and packages, idle apart', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9, columnNumber: 0 });
    const summary = summariseProfile({
      startTime: 0,
      endTime: 10_000,
      nodes: [
        { id: 1, callFrame: frame('(root)', '') },
        { id: 2, callFrame: frame('(idle)', '') },
        { id: 3, callFrame: frame('hash', 'file:///w/node_modules/@node-rs/argon2/index.js') },
        { id: 4, callFrame: frame('issue', 'file:///w/dist/apps/auth-api/src/token/token.service.js') },
      ],
      samples: [2, 3, 3, 4],
      timeDeltas: [4000, 2000, 2000, 2000],
    });
    expect(summary).toMatchObject({ totalMs: 10, idleMs: 4 });
    expect(summary.byPackage).toEqual([
      { name: '@node-rs/argon2', selfMs: 4, percent: 66.7 },
      { name: 'cxauth apps/auth-api', selfMs: 2, percent: 33.3 },
    ]);
    expect(summary.byFunction[0]).toEqual({ name: 'hash @node-rs/argon2/index.js:10', selfMs: 4, percent: 66.7 });
    expect(packageOf('node:internal/http', 'x')).toBe('node (core)');
    expect(redisCpuFromInfo('# CPU\r\nused_cpu_sys:1.50\r\nused_cpu_user:2.25\r\n')).toBe(3.75);
    expect(redisCpuFromInfo('# CPU\r\n')).toBeNull();
    expect(packageOf('', '(garbage collector)')).toBe('(garbage collector)');
  });
});

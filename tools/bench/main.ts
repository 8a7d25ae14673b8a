/**
 * `npm run bench`: auth-api (production build and defaults, real PostgreSQL + Redis) side by side
 * with node-oidc-provider (Redis adapter and in-memory) and a bare node:http ceiling, measured with
 * autocannon in A/B/A/B rounds. Results go to the git-ignored bench-results/ (docs/performance.md).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { AuthApiHandle, cleanUp, infrastructureFromEnv, provisionClient, startAuthApi } from './auth-api-target';
import { renderChart } from './chart';
import { measure, warmUp } from './load';
import { argon2VerifiesPerSecond, LocalUser, provisionLocalUser } from './local-user';
import { BenchOptions, parseBenchOptions, USAGE } from './options';
import { PeerHandle, startCeiling, startFloor, startOidcPeer } from './peers';
import Redis from 'ioredis';
import { ManagedProcess, processStats, redisCpuFromInfo } from './processes';
import { CpuProfile, profileMarkdown, ProfileSummary, summariseProfile } from './profile';
import { markdownReport, round, rssTrend, ScenarioSummary, summariseScenario, TargetResult } from './report';
import { BenchContext, buildScenario, SCENARIO_DEFINITIONS } from './scenarios';

const ROOT = resolve(__dirname, '..', '..', '..');
const MB = 1024 * 1024;

// A closed pipe (e.g. `npm run bench | head`) must not kill the run before it cleans up.
process.stdout.on('error', () => undefined);

function say(message: string): void {
  process.stdout.write(`${message}\n`);
}

interface RssRun {
  minutes: number;
  samples: { seconds: number; rssMb: number }[];
  startMb: number;
  endMb: number;
  trend: ReturnType<typeof rssTrend>;
  requestsPerSecond: number;
  errors: number;
}

async function rssRun(context: BenchContext, options: BenchOptions): Promise<RssRun> {
  const scenario = await buildScenario('cc-opaque', context);
  const target = scenario.targets.find((candidate) => candidate.role === 'ours');
  if (!target)
    throw new Error(`auth-api cannot issue opaque tokens: ${scenario.unavailable.map((u) => u.reason).join('; ')}`);
  const samples: RssRun['samples'] = [];
  const started = Date.now();
  const sample = async () => {
    const stats = await processStats(target.pid);
    if (stats)
      samples.push({ seconds: Math.round((Date.now() - started) / 1000), rssMb: round(stats.rssBytes / MB, 1) });
  };
  await sample();
  const timer = setInterval(() => void sample(), 10_000);
  let result;
  try {
    result = await measure(
      {
        baseUrl: target.baseUrl,
        request: target.request,
        connections: options.connections,
        durationSeconds: Math.round(options.rssMinutes * 60),
        pid: target.pid,
      },
      1,
    );
  } finally {
    clearInterval(timer);
  }
  await sample();
  return {
    minutes: options.rssMinutes,
    samples,
    startMb: samples[0]?.rssMb ?? 0,
    endMb: samples.at(-1)?.rssMb ?? 0,
    trend: rssTrend(samples),
    requestsPerSecond: round(result.requestsPerSecond, 1),
    errors: result.errors,
  };
}

async function newestProfile(dir: string): Promise<CpuProfile | undefined> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.cpuprofile')).sort();
  const last = files.at(-1);
  return last ? (JSON.parse(await readFile(join(dir, last), 'utf8')) as CpuProfile) : undefined;
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    say(USAGE);
    return 0;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outDir = resolve(ROOT, options.outDir);
  const logDir = join(outDir, 'logs', stamp);
  const profileDir = join(outDir, 'profiles', stamp);
  await mkdir(logDir, { recursive: true });
  if (options.cpuProfile) await mkdir(profileDir, { recursive: true });
  const infrastructure = infrastructureFromEnv();
  const secret = randomBytes(24).toString('base64url');
  const processes: ManagedProcess[] = [];
  let auth: AuthApiHandle | undefined;
  const peers: PeerHandle[] = [];
  const summaries: ScenarioSummary[] = [];
  const raw: Record<string, { notes: string[]; targets: TargetResult[] }> = {};
  const idleRssMb: Record<string, number> = {};
  let rss: RssRun | undefined;
  let argon2: { verifiesPerSecondOneThread: number; hashParameters: string } | undefined;
  let profile: ProfileSummary | undefined;
  let user: LocalUser | BenchContext['ours']['user'];

  const redisInfo = new Redis(infrastructure.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const redisCpu = async (): Promise<number | null> => {
    try {
      return redisCpuFromInfo(await redisInfo.info('cpu'));
    } catch {
      return null;
    }
  };
  const stopAll = async () => {
    redisInfo.disconnect();
    await Promise.allSettled(processes.map((managed) => managed.stop()));
  };
  const onSignal = () => {
    void stopAll()
      .then(() =>
        cleanUp(
          infrastructure,
          auth?.databaseName,
          [auth?.redisKeyPrefix, ...peers.map((peer) => peer.redisKeyPrefix)].filter((p): p is string => !!p),
        ),
      )
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    say(
      `bench: starting auth-api (dist, production defaults), node-oidc-provider ×2, the Fastify floor and the ceiling; logs in ${logDir}`,
    );
    const started = await Promise.allSettled([
      startAuthApi({
        infrastructure,
        logDir,
        extraEnv: options.authApiEnv,
        ...(options.cpuProfile ? { cpuProfileDir: profileDir } : {}),
      }),
      startOidcPeer({ store: 'redis', redisUrl: infrastructure.redisUrl, clientSecret: secret, logDir }),
      startOidcPeer({ store: 'memory', redisUrl: infrastructure.redisUrl, clientSecret: secret, logDir }),
      startCeiling(logDir),
      startFloor({ redisUrl: infrastructure.redisUrl, clientSecret: secret, logDir }),
    ]);
    for (const outcome of started) {
      if (outcome.status !== 'fulfilled') continue;
      const value = outcome.value;
      processes.push(value.process);
      if ('opsAuthorization' in value) auth = value;
      else peers.push(value);
    }
    // auth-api failing to start is reported (its rows say why) and the peers are still measured;
    // a peer or the ceiling failing is a harness problem and stops the run.
    const [authOutcome, ...peerOutcomes] = started;
    const peerFailure = peerOutcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (peerFailure) throw peerFailure.reason;
    const authFailure =
      authOutcome?.status === 'rejected'
        ? `auth-api did not start: ${authOutcome.reason instanceof Error ? authOutcome.reason.message.split('\n')[0] : String(authOutcome.reason)} (see ${join(logDir, 'auth-api.log')})`
        : undefined;
    if (authFailure) say(`bench: ${authFailure}`);
    const ceiling = peers.find((peer) => peer.id === 'ceiling')!;
    const floor = peers.find((peer) => peer.id === 'floor')!;
    const oidcPeers = ['oidc-redis', 'oidc-memory'].map((id) => peers.find((peer) => peer.id === id)!);

    let oursUnavailable = authFailure;
    user = { username: 'ops', password: '', description: 'none (auth-api not running)' };
    if (auth) {
      try {
        for (const [clientId, tokenFormat] of [
          ['bench_opaque', 'opaque'],
          ['bench_jwt', 'jwt'],
        ] as const) {
          await provisionClient(auth, { clientId, secret, tokenFormat });
        }
      } catch (error) {
        oursUnavailable = `client provisioning failed: ${error instanceof Error ? error.message : String(error)}`;
        say(`bench: ${oursUnavailable}`);
      }
      try {
        const local = await provisionLocalUser(auth, auth.settings.DATABASE_URL!);
        user = local;
        argon2 = {
          verifiesPerSecondOneThread: round(await argon2VerifiesPerSecond(local.passwordHash, local.password), 1),
          hashParameters: local.description,
        };
      } catch (error) {
        user = {
          username: auth.opsUsername,
          password: auth.opsPassword,
          description: `the ops user (plain ADMIN_PASSWORD, so no hash is verified) because the local user could not be created: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
    }
    for (const managed of processes) {
      const stats = await processStats(managed.pid);
      if (stats) idleRssMb[managed.name] = round(stats.rssBytes / MB, 1);
    }
    const context: BenchContext = {
      ours: {
        id: 'cxauth',
        label: 'cxauth auth-api',
        baseUrl: auth?.baseUrl ?? 'http://127.0.0.1:9',
        pid: auth?.process.pid ?? 0,
        opaqueClient: { id: 'bench_opaque', secret },
        jwtClient: { id: 'bench_jwt', secret },
        user,
        ...(oursUnavailable ? { unavailable: oursUnavailable } : {}),
      },
      peers: oidcPeers.map((peer) => ({
        id: peer.id,
        label: peer.label,
        baseUrl: peer.baseUrl,
        pid: peer.process.pid,
        opaqueClient: { id: 'bench_opaque', secret },
        jwtClient: { id: 'bench_jwt', secret },
      })),
      ceiling: { id: ceiling.id, label: ceiling.label, baseUrl: ceiling.baseUrl, pid: ceiling.process.pid },
      floor: {
        id: floor.id,
        label: floor.label,
        baseUrl: floor.baseUrl,
        pid: floor.process.pid,
        opaqueClient: { id: 'bench_opaque', secret },
      },
    };

    for (const id of options.scenarios) {
      const scenario = await buildScenario(id, context);
      say(`\n== ${scenario.title}`);
      for (const note of scenario.notes) say(`   note: ${note}`);
      for (const missing of scenario.unavailable) say(`   not measured: ${missing.label}: ${missing.reason}`);
      const results = new Map<string, TargetResult>(
        scenario.targets.map((target) => [
          target.id,
          { id: target.id, role: target.role, label: target.label, samples: [] },
        ]),
      );
      const runOf = (target: (typeof scenario.targets)[number], durationSeconds: number) => ({
        baseUrl: target.baseUrl,
        request: target.request,
        connections: options.connections,
        durationSeconds,
        pid: target.pid,
        redisCpu,
      });
      for (const target of scenario.targets) await warmUp(runOf(target, options.warmupSeconds));
      for (let roundNumber = 1; roundNumber <= options.rounds; roundNumber++) {
        for (const target of scenario.targets) {
          const sample = await measure(runOf(target, options.durationSeconds), roundNumber);
          results.get(target.id)!.samples.push(sample);
          say(
            `   round ${roundNumber} ${target.label.padEnd(58)} ${sample.requestsPerSecond.toFixed(0).padStart(7)} req/s  p50 ${sample.p50Ms} ms  p99 ${sample.p99Ms} ms  errors ${sample.errors}  RSS ${(sample.rssPeakBytes / MB).toFixed(0)} MB  load ${sample.loadAverage}`,
          );
        }
      }
      const targets: TargetResult[] = [
        ...results.values(),
        ...scenario.unavailable.map((missing) => ({
          id: missing.id,
          role: missing.role,
          label: missing.label,
          unavailable: missing.reason,
          samples: [],
        })),
      ];
      raw[id] = { notes: scenario.notes, targets };
      summaries.push(summariseScenario(SCENARIO_DEFINITIONS[id], targets));
    }
    if (options.rssMinutes > 0) {
      say(`\n== RSS run: client_credentials (opaque) on auth-api for ${options.rssMinutes} min`);
      rss = await rssRun(context, options);
      say(`   RSS start ${rss.startMb} MB, end ${rss.endMb} MB, ${rss.requestsPerSecond} req/s, errors ${rss.errors}`);
    }
  } finally {
    await stopAll();
    await cleanUp(
      infrastructure,
      auth?.databaseName,
      [auth?.redisKeyPrefix, ...peers.map((peer) => peer.redisKeyPrefix)].filter(
        (prefix): prefix is string => !!prefix,
      ),
    );
  }
  if (options.cpuProfile) {
    const cpuProfile = await newestProfile(profileDir);
    if (cpuProfile) profile = summariseProfile(cpuProfile, 25);
    else say(`bench: no .cpuprofile found in ${profileDir}`);
  }

  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 1024 ** 3)} GiB, Linux ${release()}, Node ${process.version}`;
  const settings = `autocannon ${options.connections} connections, pipelining 1, warm-up ${options.warmupSeconds} s per target, ${options.rounds} round(s) × ${options.durationSeconds} s per target alternating A/B/A/B; loopback; all servers single Node processes.${options.cpuProfile ? ' auth-api ran under --cpu-prof (slower; ratios not representative).' : ''}${
    Object.keys(options.authApiEnv).length
      ? ` **Experiment, not the production defaults:** auth-api ran with ${Object.entries(options.authApiEnv)
          .map(([name, value]) => `${name}=${value}`)
          .join(' ')}.`
      : ''
  }`;
  const extra: string[] = [];
  extra.push(
    `Idle RSS after start-up (MB): ${Object.entries(idleRssMb)
      .map(([name, mb]) => `${name} ${mb}`)
      .join(', ')}.`,
  );
  if (argon2)
    extra.push(
      `argon2id ceiling: ${argon2.verifiesPerSecondOneThread} verifications/s on one thread for ${argon2.hashParameters}.`,
    );
  for (const [id, entry] of Object.entries(raw)) for (const note of entry.notes) extra.push(`${id}: ${note}.`);
  if (rss)
    extra.push(
      `RSS run (${rss.minutes} min, client_credentials opaque, ${rss.requestsPerSecond} req/s, ${rss.errors} errors): start ${rss.startMb} MB, end ${rss.endMb} MB, range ${rss.trend.minMb}–${rss.trend.maxMb} MB, first-minute mean ${rss.trend.firstMinuteMeanMb} MB, last-minute mean ${rss.trend.lastMinuteMeanMb} MB; samples ${rss.samples.map((s) => `${s.seconds}s=${s.rssMb}`).join(' ')}.`,
    );
  if (profile) extra.push('', ...profileMarkdown(profile, 'auth-api CPU profile (--cpu-prof, whole run)'));
  const markdown = markdownReport(summaries, { date: new Date().toISOString(), machine, settings }, extra);
  const report = {
    date: new Date().toISOString(),
    machine,
    options,
    authApiSettings: auth?.settings,
    idleRssMb,
    scenarios: summaries,
    raw,
    rss,
    argon2,
    profile,
  };
  const base = join(outDir, `bench-${stamp}`);
  await writeFile(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(`${base}.md`, markdown);
  await writeFile(
    `${base}.svg`,
    renderChart(summaries, `cxauth benchmark ${stamp} (requests/s, ${options.connections} connections)`),
  );
  for (const extension of ['json', 'md', 'svg'])
    await copyFile(`${base}.${extension}`, join(outDir, `latest.${extension}`));
  say(`\n${markdown}`);
  say(`bench: wrote ${base}.{json,md,svg} (and latest.*)`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);

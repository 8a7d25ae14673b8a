import Redis from 'ioredis';
import { authApiConfigSchema, authApiService } from '@cxauth/auth-api';
import { sha256Hex } from '@cxauth/domain';
import { createTestApp, createTestStorage, TestDatabase } from '@cxauth/testing';
import {
  AuthApiProcess,
  LoadStats,
  PrivateRedis,
  publish,
  refreshAfterFault,
  runLoad,
  serviceForm,
  signInSessions,
  sleep,
  startAuthApi,
  stillAccepted,
  timedFetch,
  timeUntil,
  refreshStep,
} from './fault-harness';

/** Headroom left above Redis's memory use when the scenario caps it (`maxmemory`). */
const HEADROOM_BYTES = 256 * 1024;

/**
 * Redis full (a private redis-server, `maxmemory` lowered under load, `noeviction`): writes are refused,
 * nothing already stored is evicted, and service resumes once memory is raised. Also measures Redis
 * bytes per access token (MEMORY USAGE), the figure README "Operations" sizes Redis with.
 */
describe('fault: Redis full', () => {
  const redis = new PrivateRedis();
  let database: TestDatabase;
  let service: AuthApiProcess;
  let direct: Redis;
  let prefix: string;

  beforeAll(async () => {
    await redis.start();
    const storage = await createTestStorage();
    database = storage.database;
    prefix = storage.env.REDIS_KEY_PREFIX!;
    service = await startAuthApi({ ...storage.env, REDIS_URL: redis.url });
    direct = new Redis(redis.url);
  }, 60_000);
  afterAll(async () => {
    direct?.disconnect();
    await service?.stop();
    await redis.stop();
    await database.drop();
  });

  it('refuses new tokens with 503 when full, evicts nothing, loses no sign-in, resumes when memory is raised', async () => {
    const base = service.url;
    const token = async (body: Record<string, string>) =>
      (await (await fetch(`${base}/auth/v3/oauth/token`, serviceForm(body))).json()) as {
        access_token: string;
        refresh_token: string;
      };
    const bytes = async (accessToken: string) =>
      Number(await direct.call('MEMORY', 'USAGE', `${prefix}at:${sha256Hex(accessToken)}`, 'SAMPLES', '0'));
    const clientToken = await token({ grant_type: 'client_credentials' });
    const userToken = await token({ grant_type: 'password', username: 'ops', password: 'ops' });
    const bytesPerToken = {
      clientCredentials: await bytes(clientToken.access_token),
      user: await bytes(userToken.access_token),
    };

    const sessions = await signInSessions(base);
    const earlier = await Promise.all(Array.from({ length: 20 }, () => token({ grant_type: 'client_credentials' })));
    const used = Number(/used_memory:(\d+)/.exec(await direct.info('memory'))![1]);
    await direct.config('SET', 'maxmemory', String(used + HEADROOM_BYTES));

    const stats = new LoadStats();
    let full = false;
    const refresh = refreshStep(stats, base, sessions);
    const tokenStep = async () => {
      const response = await timedFetch(
        stats,
        `${base}/auth/v3/oauth/token`,
        serviceForm({ grant_type: 'client_credentials' }),
      );
      if (response?.status === 503) full = true;
    };
    let probeRecoveryMs = 0;
    let fullAt = 0;
    let raisedAt = 0;
    const fault = (async () => {
      const started = Date.now();
      while (!full && Date.now() - started < 20_000) await sleep(50);
      fullAt = performance.now();
      // Stay full a moment, as an operator would take a while to react.
      await sleep(1_000);
      await direct.config('SET', 'maxmemory', '0');
      raisedAt = performance.now();
      probeRecoveryMs = await timeUntil(
        async () =>
          (await fetch(`${base}/auth/v3/oauth/token`, serviceForm({ grant_type: 'client_credentials' }))).status ===
          200,
      );
      await sleep(500);
    })();
    await runLoad(6, fault, (worker) => (worker < 2 ? refresh(worker) : tokenStep()));

    await refreshAfterFault(base, sessions);
    const recoveryMs = Math.min(probeRecoveryMs, stats.firstSuccessAfter(raisedAt) ?? Infinity);
    const survived = await stillAccepted(base, earlier);
    const report = {
      scenario: 'redis-full',
      requestsSent: stats.sent,
      byStatus: stats.byStatus,
      signInsLost: sessions.filter((session) => session.lost).length,
      sessions: sessions.length,
      recoveryMs,
      unavailableMs: stats.unavailableLatency(),
      notes: {
        unavailableServiceMs: stats.unavailableServiceLatency(),
        unavailableByEndpoint: stats.unavailableBreakdown(fullAt).byEndpoint,
        probeRecoveryMs,
        bytesPerToken,
        headroomBytes: HEADROOM_BYTES,
        tokensStoredBeforeFull: earlier.length,
        survived,
      },
    };
    publish(report);

    expect(full).toBe(true);
    expect(stats.unexpected([200, 503])).toEqual({});
    expect(report.signInsLost).toBe(0);
    expect(survived).toBe(earlier.length);
    // Full is not unreachable: the connection is ready, so a refresh learns of it only when its access
    // token is refused (OOM) after the rotation, and undoes the rotation before answering. Every 503
    // reports its service time; the 95th percentile of those is under 100 ms.
    expect(report.notes.unavailableServiceMs?.count).toBe(report.unavailableMs!.count);
    expect(report.notes.unavailableServiceMs!.p95).toBeLessThan(100);
    expect(recoveryMs).toBeLessThan(2_000);
  }, 60_000);
});

describe('Redis eviction policy at boot', () => {
  const redis = new PrivateRedis(['--maxmemory-policy', 'allkeys-lru']);
  let database: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    await redis.start();
    const storage = await createTestStorage();
    database = storage.database;
    env = { ...storage.env, REDIS_URL: redis.url };
  });
  afterAll(async () => {
    await redis.stop();
    await database.drop();
  });

  it('warns when Redis may evict tokens', async () => {
    const app = await createTestApp(authApiConfigSchema, authApiService, env);
    try {
      expect(app.logs.join('\n')).toMatch(/maxmemory-policy allkeys-lru: it may evict access tokens/);
    } finally {
      await app.close();
    }
  });

  it('refuses to start with REDIS_REQUIRE_NOEVICTION', async () => {
    await expect(
      createTestApp(authApiConfigSchema, authApiService, { ...env, REDIS_REQUIRE_NOEVICTION: 'true' }),
    ).rejects.toThrow(/maxmemory-policy allkeys-lru.*\(REDIS_REQUIRE_NOEVICTION is true\)/);
  });
});

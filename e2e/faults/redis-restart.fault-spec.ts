import { createTestStorage, TestDatabase } from '@cxauth/testing';
import {
  AuthApiProcess,
  expectFastUnavailable,
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
  withEventLoopDelay,
  refreshStep,
} from './fault-harness';

const REDIS_DOWN_MS = 1_500;

/**
 * Redis killed (SIGKILL) and restarted on its AOF while tokens are issued, validated and refreshed. The
 * built auth-api runs in its own process, so its 503 times (Server-Timing) are its own, not the load's.
 */
describe('fault: Redis killed and restarted mid-load', () => {
  const redis = new PrivateRedis();
  let database: TestDatabase;
  let service: AuthApiProcess;

  beforeAll(async () => {
    await redis.start();
    const storage = await createTestStorage();
    database = storage.database;
    service = await startAuthApi({ ...storage.env, REDIS_URL: redis.url });
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await redis.stop();
    await database.drop();
  });

  it('answers 503 within 100 ms while Redis is away, loses no sign-in and no persisted token, recovers within 2 s', async () => {
    const base = service.url;
    const stats = new LoadStats();
    const signIn = async () => {
      const response = await fetch(
        `${base}/auth/v3/oauth/token`,
        serviceForm({ grant_type: 'password', username: 'ops', password: 'ops' }),
      );
      return (await response.json()) as { access_token: string; refresh_token: string };
    };
    const sessions = await signInSessions(base);
    const earlier = await Promise.all(Array.from({ length: 20 }, () => signIn()));
    // Past the AOF's one-second fsync: these must survive the kill.
    await sleep(1_500);

    const refresh = refreshStep(stats, base, sessions);
    const tokenStep = async () => {
      const response = await timedFetch(
        stats,
        `${base}/auth/v3/oauth/token`,
        serviceForm({ grant_type: 'client_credentials' }),
      );
      if (response?.status !== 200) return sleep(20);
      const { access_token } = (await response.json()) as { access_token: string };
      await timedFetch(stats, `${base}/auth/v3/userinfo`, { headers: { authorization: `Bearer ${access_token}` } });
    };
    let cutAt = 0;
    let cutAtWallClock = 0;
    let backAt = 0;
    let backAtWallClock = 0;
    let probeRecoveryMs = 0;
    const fault = (async () => {
      await sleep(1_500);
      cutAt = performance.now();
      cutAtWallClock = Date.now();
      await redis.kill();
      await sleep(REDIS_DOWN_MS);
      await redis.start();
      backAt = performance.now();
      backAtWallClock = Date.now();
      probeRecoveryMs = await timeUntil(
        async () =>
          (await fetch(`${base}/auth/v3/oauth/token`, serviceForm({ grant_type: 'client_credentials' }))).status ===
          200,
      );
      await sleep(1_500);
    })();
    const [, eventLoop] = await withEventLoopDelay(() =>
      runLoad(8, fault, (worker) => (worker < 4 ? refresh(worker) : tokenStep())),
    );

    // After recovery every session still refreshes, and every token persisted before the kill still works.
    await refreshAfterFault(base, sessions);
    const survived = await stillAccepted(base, earlier);
    const recoveryMs = Math.min(probeRecoveryMs, stats.firstSuccessAfter(backAt) ?? Infinity);
    // The service's own log: when its command connection was ready again after the restart.
    const readyAgain = service
      .logLines()
      .find((line) => line.msg === 'redis connection ready again' && line.connection === 'main');
    const reconnectedMs = readyAgain ? Date.parse(String(readyAgain['@timestamp'])) - backAtWallClock : undefined;
    // When the service itself learned of the loss (it refuses from then on): requests before it were in flight.
    const lost = service.logLines().find((line) => line.msg === 'redis connection lost' && line.connection === 'main');
    const lostMs = lost ? Date.parse(String(lost['@timestamp'])) - cutAtWallClock : undefined;
    const knownAt = cutAt + Math.max(0, lostMs ?? 0);
    const report = {
      scenario: 'redis-restart',
      requestsSent: stats.sent,
      byStatus: stats.byStatus,
      signInsLost: sessions.filter((session) => session.lost).length,
      sessions: sessions.length,
      recoveryMs,
      unavailableMs: stats.unavailableLatency(),
      notes: {
        unavailableServiceMs: stats.unavailableServiceLatency(),
        unavailable: stats.unavailableBreakdown(knownAt),
        lostMs,
        loadEventLoopMs: { ...eventLoop, stalls: eventLoop.stalls.length },
        accessTokensPersistedBeforeKill: earlier.length,
        survivedRestart: survived,
        redisDownMs: REDIS_DOWN_MS,
        reconnectedMs,
        probeRecoveryMs,
      },
    };
    publish(report);

    expect(stats.unexpected([200, 503])).toEqual({});
    expect(stats.byStatus[503]).toBeGreaterThan(0);
    expect(report.signInsLost).toBe(0);
    expect(survived).toBe(earlier.length);
    expect(lostMs).toBeLessThan(1_000);
    expectFastUnavailable(stats, knownAt);
    expect(reconnectedMs).toBeLessThan(1_000);
    expect(recoveryMs).toBeLessThan(2_000);
  }, 60_000);
});

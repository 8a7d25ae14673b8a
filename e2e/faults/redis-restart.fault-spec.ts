import { authApiConfigSchema, authApiService } from '@cxauth/auth-api';
import { createTestApp, createTestStorage, TestApp, TestDatabase } from '@cxauth/testing';
import {
  createClient,
  LoadStats,
  PrivateRedis,
  publish,
  refreshAfterFault,
  runLoad,
  serviceForm,
  signInSessions,
  sleep,
  stillAccepted,
  timedFetch,
  timeUntil,
} from './fault-harness';

/** Redis killed (SIGKILL) and restarted on its AOF while tokens are issued, validated and refreshed. */
describe('fault: Redis killed and restarted mid-load', () => {
  const redis = new PrivateRedis();
  let database: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    await redis.start();
    const storage = await createTestStorage();
    database = storage.database;
    app = await createTestApp(authApiConfigSchema, authApiService, { ...storage.env, REDIS_URL: redis.url });
    await createClient(app, {
      client_id: 'svc',
      client_secret: 'svc-secret',
      authorizedGrantTypes: ['client_credentials', 'password', 'refresh_token'],
    });
  });
  afterAll(async () => {
    await app.close();
    await redis.stop();
    await database.drop();
  });

  it('answers 503 fast while Redis is away, loses no sign-in and no persisted token, recovers within 2 s', async () => {
    const base = app.service.url;
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

    const refreshStep = async (worker: number) => {
      const session = sessions[worker % sessions.length]!;
      if (session.lost) return sleep(50);
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
    let recoveryMs = 0;
    const fault = (async () => {
      await sleep(1_500);
      await redis.kill();
      await sleep(1_500);
      await redis.start();
      recoveryMs = await timeUntil(
        async () =>
          (await fetch(`${base}/auth/v3/oauth/token`, serviceForm({ grant_type: 'client_credentials' }))).status ===
          200,
      );
      await sleep(1_500);
    })();
    await runLoad(8, fault, (worker) => (worker < 4 ? refreshStep(worker) : tokenStep()));

    // After recovery every session still refreshes, and every token persisted before the kill still works.
    await refreshAfterFault(base, sessions);
    const survived = await stillAccepted(base, earlier);
    const report = {
      scenario: 'redis-restart',
      requestsSent: stats.sent,
      byStatus: stats.byStatus,
      signInsLost: sessions.filter((session) => session.lost).length,
      sessions: sessions.length,
      recoveryMs,
      unavailableMs: stats.unavailableLatency(),
      notes: { accessTokensPersistedBeforeKill: earlier.length, survivedRestart: survived, redisDownMs: 1_500 },
    };
    publish(report);

    expect(stats.unexpected([200, 503])).toEqual({});
    expect(stats.byStatus[503]).toBeGreaterThan(0);
    expect(report.signInsLost).toBe(0);
    expect(survived).toBe(earlier.length);
    expect(report.unavailableMs!.p50).toBeLessThan(100);
    // The tail (reported as max) is the shared machine's; the old code stalled every answer 2 s.
    expect(report.unavailableMs!.p95).toBeLessThan(1_000);
    expect(recoveryMs).toBeLessThan(2_000);
  }, 60_000);
});

import { once } from 'node:events';
import { join } from 'node:path';
import {
  createTestStorage,
  ReadinessBalancer,
  ServiceProcess,
  startServiceProcess,
  TEST_SERVICE_ENV,
  TestDatabase,
} from '@cxauth/testing';
import {
  createServiceClient,
  LoadStats,
  publish,
  refreshStep,
  runLoad,
  serviceForm,
  signInSessions,
  sleep,
  timedFetch,
} from './fault-harness';

const AUTH_API = join(__dirname, '../../dist/apps/auth-api/src/main.js');
/** A kubelet readiness period, shortened; the drain delay covers two failed probes and a margin. */
const PROBE_INTERVAL_MS = 500;
const SHUTDOWN_DELAY_MS = 2_000;

/**
 * Two built auth-api replicas behind a readiness-aware balancer (the Service/ingress stand-in, which
 * never retries); one gets SIGTERM under token, userinfo and refresh load, as in a rolling update.
 */
describe('fault: an auth-api replica stopped under load', () => {
  let database: TestDatabase;
  let replicas: ServiceProcess[] = [];

  beforeAll(async () => {
    const storage = await createTestStorage();
    database = storage.database;
    const env = {
      ...TEST_SERVICE_ENV,
      ...storage.env,
      LOG_LEVEL: 'info',
      SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
      SHUTDOWN_TIMEOUT_MS: '5000',
    };
    replicas = [await startServiceProcess(AUTH_API, env), await startServiceProcess(AUTH_API, env)];
    await createServiceClient(replicas[0]!.url);
  }, 90_000);
  afterAll(async () => {
    for (const replica of replicas) {
      if (replica.child.exitCode === null) {
        replica.child.kill('SIGTERM');
        await once(replica.child, 'exit');
      }
    }
    await database.drop();
  });

  it('fails no request and loses no sign-in while a replica drains and exits', async () => {
    const balancer = new ReadinessBalancer(replicas, PROBE_INTERVAL_MS);
    await balancer.start();
    const base = balancer.url;
    const stats = new LoadStats();
    try {
      expect(balancer.readyCount).toBe(2);
      const sessions = await signInSessions(base);
      const refresh = refreshStep(stats, base, sessions);
      const tokenStep = async () => {
        const response = await timedFetch(
          stats,
          `${base}/auth/v3/oauth/token`,
          serviceForm({ grant_type: 'client_credentials' }),
        );
        if (response?.status !== 200) return;
        const { access_token } = (await response.json()) as { access_token: string };
        await timedFetch(stats, `${base}/auth/v3/userinfo`, { headers: { authorization: `Bearer ${access_token}` } });
      };
      const [leaving] = replicas as [ServiceProcess];
      let exitCode: number | null = null;
      const fault = (async () => {
        await sleep(1_000);
        const exited = once(leaving.child, 'exit');
        leaving.child.kill('SIGTERM');
        [exitCode] = (await exited) as [number | null];
        await sleep(1_000);
      })();
      await runLoad(6, fault, (worker) => (worker < 2 ? refresh(worker) : tokenStep()));
      const report = {
        scenario: 'replica-stop',
        requestsSent: stats.sent,
        byStatus: stats.byStatus,
        signInsLost: sessions.filter((session) => session.lost).length,
        sessions: sessions.length,
        notes: {
          shutdownDelayMs: SHUTDOWN_DELAY_MS,
          probeIntervalMs: PROBE_INTERVAL_MS,
          readyAfter: balancer.readyCount,
        },
      };
      publish(report);

      expect(stats.unexpected([200])).toEqual({});
      expect(report.signInsLost).toBe(0);
      expect(exitCode).toBe(0);
      expect(balancer.readyCount).toBe(1);
    } finally {
      await balancer.stop();
    }
  }, 60_000);
});

import { Client } from 'pg';
import { createTestApp, TestApp } from '@cxauth/testing';
import { authApiConfigSchema } from '../../auth-api.config';
import { authApiService } from '../../auth-api.service';
import { AuthApiTestContext, createClient, OPS, startAuthApi } from '../../testing/auth-api-test-app';
import { KeyRing } from '../../signing-keys/key-ring.service';
import { Housekeeping, JOBS } from '../housekeeping.service';

/** Expired rows seeded for the purge; HOUSEKEEPING_TEST_ROWS=1000000 measures the million by hand. */
const ROWS = Number(process.env.HOUSEKEEPING_TEST_ROWS ?? 60_000);
const BATCH = 5_000;
/** The advisory lock of the refresh-token purge ('cxjb', job 1), as JobScheduler takes it. */
const PURGE_LOCK = [0x63786a62, 1];

/**
 * The housekeeping jobs on two replicas of auth-api sharing one database: one replica at a time runs
 * a job (PostgreSQL advisory lock), runs are bounded and idempotent, token traffic goes on during a
 * purge, and the scheduled signing-key rotation keeps the previous key in the JWKS.
 */
describe('housekeeping jobs (two replicas, advisory lock)', () => {
  let ctx: AuthApiTestContext;
  let second: TestApp;
  const jobsOf = (app: TestApp) => app.service.app.get(Housekeeping);
  const count = async (where: string) =>
    Number((await ctx.database.query<{ n: string }>(`SELECT count(*) AS n FROM refresh_token WHERE ${where}`))[0]!.n);
  const scrape = async (app: TestApp) => (await fetch(`${app.service.managementUrl}/metrics`)).text();

  beforeAll(async () => {
    const env = {
      HOUSEKEEPING_ENABLED: 'false',
      HOUSEKEEPING_BATCH_SIZE: String(BATCH),
      HOUSEKEEPING_MAX_BATCHES: String(Math.ceil(ROWS / BATCH) + 1),
      HOUSEKEEPING_REVOKED_RETENTION_SECONDS: '3600',
      SIGNING_KEY_ROTATION_INTERVAL_SECONDS: '86400',
      LOG_LEVEL: 'fatal',
    };
    ctx = await startAuthApi(env);
    second = await createTestApp(authApiConfigSchema, authApiService, ctx.env);
    await createClient(ctx.app, {
      client_id: 'app',
      client_secret: 'app-secret',
      authorizedGrantTypes: ['password', 'refresh_token'],
      refreshTokenExpirationTimeout: 3600,
    });
  });
  afterAll(async () => {
    await second.close();
    await ctx.close();
  });

  const seed = async (rows: number, expiresAt: string, extra = '') => {
    await ctx.database.query(
      `INSERT INTO refresh_token (token_hash, family_id, client_id, subject, scope, "grant", expires_at${extra ? ', revoked_at' : ''})
       SELECT encode(sha256(($1 || i)::bytea), 'hex'), gen_random_uuid(), 'app', 'seeded', '*', '{}', ${expiresAt}${extra ? `, ${extra}` : ''}
       FROM generate_series(1, $2) AS i`,
      [`${expiresAt}${extra}`, rows],
    );
  };

  it('skips while another holder has the lock, then exactly one replica purges; bounded and idempotent', async () => {
    const started = Date.now();
    await seed(ROWS, "now() - interval '1 day'");
    const seededMs = Date.now() - started;
    await seed(50, "now() + interval '1 day'", "now() - interval '2 hours'"); // revoked long enough ago
    await seed(40, "now() + interval '1 day'", "now() - interval '1 minute'"); // revoked recently: kept
    await seed(30, "now() + interval '1 day'"); // live: kept

    const holder = new Client({ connectionString: ctx.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1, $2)', PURGE_LOCK);
      const blocked = await Promise.all([ctx.app, second].map((app) => jobsOf(app).run(JOBS.REFRESH_TOKEN_PURGE)));
      expect(blocked.map((run) => run.outcome)).toEqual(['skipped', 'skipped']);
      expect(await count('true')).toBe(ROWS + 120);
    } finally {
      await holder.query('SELECT pg_advisory_unlock($1, $2)', PURGE_LOCK);
      await holder.end();
    }

    // Token traffic during the purge: a chain of refresh_token grants (each locks, rotates and inserts a row).
    let refresh = (
      await ctx.app
        .http()
        .post('/auth/v3/oauth/token')
        .auth('app', 'app-secret')
        .type('form')
        .send({ grant_type: 'password', username: OPS.username, password: OPS.password })
    ).body.refresh_token as string;
    const latencies: number[] = [];
    let purging = true;
    const traffic = (async () => {
      while (purging || latencies.length < 20) {
        const sent = performance.now();
        const response = await second
          .http()
          .post('/auth/v3/oauth/token')
          .auth('app', 'app-secret')
          .type('form')
          .send({ grant_type: 'refresh_token', refresh_token: refresh });
        latencies.push(performance.now() - sent);
        expect(response.status).toBe(200);
        refresh = response.body.refresh_token;
      }
    })();
    const runs = await Promise.all([ctx.app, second].map((app) => jobsOf(app).run(JOBS.REFRESH_TOKEN_PURGE)));
    purging = false;
    await traffic;

    // Either both ran one after the other (the second found nothing left) or one skipped: never both at once.
    const done = runs.filter((run) => run.outcome === 'done');
    expect(done.length).toBeGreaterThanOrEqual(1);
    expect(runs.every((run) => run.outcome !== 'failed')).toBe(true);
    expect(runs.reduce((sum, run) => sum + run.items, 0)).toBe(ROWS + 50);
    expect(await count("subject = 'seeded'")).toBe(70);
    expect(await count('revoked_at IS NULL AND expires_at > now()')).toBeGreaterThanOrEqual(31);

    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))]!;
    const purgeMs = Math.max(...done.map((run) => run.durationMs));
    process.stdout.write(
      `housekeeping: seeded ${ROWS} expired rows in ${seededMs} ms; purge ${purgeMs} ms; ` +
        `${latencies.length} refresh grants during it, p99 ${p99.toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms\n`,
    );
    // Generous bound for a loaded 2-core machine: the purge's short batches never hold token traffic for long.
    expect(p99).toBeLessThan(2_000);

    const again = await jobsOf(ctx.app).run(JOBS.REFRESH_TOKEN_PURGE);
    expect(again).toMatchObject({ outcome: 'done', items: 0 });
  }, 600_000);

  it('bounds one run to HOUSEKEEPING_MAX_BATCHES batches; the next run continues', async () => {
    const bounded = await createTestApp(authApiConfigSchema, authApiService, {
      ...ctx.env,
      HOUSEKEEPING_BATCH_SIZE: '100',
      HOUSEKEEPING_MAX_BATCHES: '2',
    });
    try {
      await seed(450, "now() - interval '1 hour'");
      const counts = [];
      for (let i = 0; i < 4; i += 1) counts.push((await jobsOf(bounded).run(JOBS.REFRESH_TOKEN_PURGE)).items);
      expect(counts).toEqual([200, 200, 50, 0]);
    } finally {
      await bounded.close();
    }
  });

  it('publishes the next signing key before it signs, switches to it, keeps the previous one for the overlap, then purges it', async () => {
    const jwks = async () =>
      ((await ctx.app.http().get('/auth/v3/jwks')).body as { keys: { kid: string }[] }).keys.map((key) => key.kid);
    const statuses = async () =>
      (
        (await ctx.app.http().get('/auth/v3/ops/signing-keys').auth(OPS.username, OPS.password)).body.data as {
          kid: string;
          status: string;
        }[]
      ).map((key) => `${key.kid}:${key.status}`);
    const [before] = await jwks();
    expect((await jobsOf(ctx.app).run(JOBS.SIGNING_KEY_ROTATION)).items).toBe(0);

    // The active key is older than the interval less the lead time (half of 1 day here): the next key is published.
    await ctx.database.query("UPDATE signing_key SET created_at = now() - interval '2 days' WHERE retired_at IS NULL");
    const rotation = await jobsOf(second).run(JOBS.SIGNING_KEY_ROTATION);
    expect(rotation).toMatchObject({ outcome: 'done', items: 1 });
    // The other replica hears of it over Redis: it publishes the next key and still signs with the current one.
    let keys: string[] = [];
    for (let i = 0; i < 50 && keys.length < 2; i += 1) {
      keys = await jwks();
      if (keys.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const next = keys[0]!;
    expect(keys).toEqual([next, before]);
    expect(await statuses()).toEqual([`${next}:next`, `${before}:active`]);
    const [nextRow] = await ctx.database.query<{ activates_in: string; old_retires_in: string }>(
      `SELECT extract(epoch FROM n.created_at - now()) AS activates_in, extract(epoch FROM o.retired_at - n.created_at) AS old_retires_in
       FROM signing_key n, signing_key o WHERE n.kid = $1 AND o.kid = $2`,
      [next, before],
    );
    expect(Number(nextRow!.activates_in)).toBeGreaterThan(43_000);
    expect(Number(nextRow!.old_retires_in)).toBeCloseTo(Number(ctx.env.SIGNING_KEY_RETENTION_SECONDS ?? 604_800), 0);
    // While a next key waits, the job does nothing.
    expect((await jobsOf(ctx.app).run(JOBS.SIGNING_KEY_ROTATION)).items).toBe(0);

    // Its time comes: it signs, and the previous key stays published and verifying until its overlap ends.
    await ctx.database.query("UPDATE signing_key SET created_at = now() - interval '1 second' WHERE kid = $1", [next]);
    await ctx.app.service.app.get(KeyRing).reload();
    expect(await statuses()).toEqual([`${next}:active`, `${before}:verify-only`]);
    expect(await jwks()).toEqual([next, before]);

    // Overlap over: the purge deletes the old key.
    await ctx.database.query("UPDATE signing_key SET retired_at = now() - interval '1 second' WHERE kid = $1", [
      before,
    ]);
    expect(await jobsOf(ctx.app).run(JOBS.SIGNING_KEY_PURGE)).toMatchObject({ outcome: 'done', items: 1 });
    expect(await ctx.database.query('SELECT kid FROM signing_key WHERE kid = $1', [before])).toEqual([]);
  });

  it('reports runs, items and skips in /metrics', async () => {
    const text = (await scrape(ctx.app)) + (await scrape(second));
    const total = (pattern: RegExp) =>
      [...text.matchAll(new RegExp(pattern.source, 'gm'))].reduce((sum, match) => sum + Number(match[1]), 0);
    expect(
      total(/^cxauth_job_runs_total\{job="refresh-token-purge",outcome="skipped"[^}]*\} (\d+)/),
    ).toBeGreaterThanOrEqual(2);
    expect(
      total(/^cxauth_job_runs_total\{job="refresh-token-purge",outcome="done"[^}]*\} (\d+)/),
    ).toBeGreaterThanOrEqual(2);
    expect(total(/^cxauth_job_items_total\{job="refresh-token-purge"[^}]*\} (\d+)/)).toBe(ROWS + 50); // the bounded test ran on a third replica
    expect(total(/^cxauth_job_items_total\{job="signing-key-rotation"[^}]*\} (\d+)/)).toBe(1);
    expect(text).toMatch(/^cxauth_job_duration_seconds_count\{[^}]*job="refresh-token-purge"/m);
  });
});

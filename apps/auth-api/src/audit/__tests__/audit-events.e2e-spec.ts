import { Client } from 'pg';
import { type AuthApiTestContext, createClient, OPS, startAuthApi } from '../../testing/auth-api-test-app';
import { seedContactCenter } from '../../users/__tests__/users-test-fixture';
import { AuditPurge } from '../audit-purge.service';

const EVENTS = '/auth/v3/ops/audit-events';
const USER_PASSWORD = 'audited agent 123';
const CLIENT_SECRET = 'audit-client-secret-1';

interface Event {
  type: string;
  outcome: string;
  actor: string | null;
  target: string | null;
  clientId: string | null;
  tenant: string | null;
  sourceIp: string | null;
  requestId: string | null;
  detail: Record<string, unknown> | null;
  occurredAt: string;
}

/** The audit trail on real PostgreSQL: what is recorded, the query API, the purge. */
describe('audit trail (auth-api, real PostgreSQL and Redis)', () => {
  let ctx: AuthApiTestContext;
  let userId: string;
  const http = () => ctx.app.http();
  const events = async (query: Record<string, string | number> = {}) => {
    const response = await http().get(EVENTS).query(query).auth(OPS.username, OPS.password);
    expect(response.status).toBe(200);
    return response.body.data as { total: number; limit: number; offset: number; events: Event[] };
  };
  const grant = (username: string, password: string, requestId: string) =>
    http()
      .post('/auth/v3/oauth/token')
      .auth('audit_client', CLIENT_SECRET)
      .set('X-Request-Id', requestId)
      .type('form')
      .send({ grant_type: 'password', username, password });

  beforeAll(async () => {
    ctx = await startAuthApi({ LOG_LEVEL: 'info', LOGIN_LOCKOUT_FAILURES: '2', LOGIN_THROTTLE_DELAY_MS: '0' });
    const cc = await seedContactCenter(ctx.database, ['aud']);
    await createClient(ctx.app, {
      client_id: 'audit_client',
      client_secret: CLIENT_SECRET,
      authorizedGrantTypes: ['password'],
    });
    const user = await http()
      .post('/auth/v3/ops/users')
      .auth(OPS.username, OPS.password)
      .send({ data: { contactCenterId: cc.contactCenterId, username: 'agent', password: USER_PASSWORD } });
    expect(user.status).toBe(200);
    userId = user.body.data.id;
    expect((await grant('aud\\agent', USER_PASSWORD, 'audit-ok-1')).status).toBe(200);
    expect((await grant('aud\\agent', 'wrong 1', 'audit-bad-1')).status).toBe(400);
    expect((await grant('aud\\agent', 'wrong 2', 'audit-bad-2')).status).toBe(400);
    expect((await grant('aud\\agent', USER_PASSWORD, 'audit-locked')).status).toBe(429);
    await http()
      .delete('/auth/v3/ops/lockouts')
      .query({ user: 'aud\\agent' })
      .auth(OPS.username, OPS.password)
      .expect(200);
    await http().post('/auth/v3/ops/signing-keys/rotate').auth(OPS.username, OPS.password).expect(200);
    await http()
      .delete('/auth/v3/ops/users/00000000-0000-4000-8000-000000000000')
      .auth(OPS.username, OPS.password)
      .expect(404);
  });

  afterAll(() => ctx.close());

  it('records sign-ins (success, failure, locked) with who, client, tenant, source IP and request id', async () => {
    const signIns = (await events({ type: 'sign_in' })).events;
    expect(signIns.map((event) => [event.outcome, event.requestId, event.detail?.reason ?? null])).toEqual([
      ['failure', 'audit-locked', 'locked'],
      ['failure', 'audit-bad-2', 'bad_credentials'],
      ['failure', 'audit-bad-1', 'bad_credentials'],
      ['success', 'audit-ok-1', null],
    ]);
    expect(signIns[3]).toMatchObject({
      actor: expect.stringContaining('\\agent'),
      clientId: 'audit_client',
      tenant: 'aud',
      sourceIp: '127.0.0.1',
      detail: { channel: 'password_grant' },
    });
    expect(signIns[1]!.actor).toBe('aud\\agent');
  });

  it('records the lockout, the unlock, ops changes (refused ones too) and key rotation', async () => {
    const all = (await events({ limit: 500 })).events;
    const types = all.map((event) => `${event.type}:${event.outcome}`);
    expect(types).toEqual(
      expect.arrayContaining([
        'client_created:success',
        'user_created:success',
        'lockout:success',
        'unlock:success',
        'signing_key_rotated:success',
        'user_deleted:failure',
      ]),
    );
    expect(all.find((event) => event.type === 'lockout')).toMatchObject({
      actor: 'user:aud\\agent',
      sourceIp: '127.0.0.1',
      requestId: 'audit-bad-2',
      detail: { credential: 'user', scope: 'account' },
    });
    expect(all.find((event) => event.type === 'unlock')).toMatchObject({ actor: 'ops', target: 'aud\\agent' });
    expect(all.find((event) => event.type === 'user_created')).toMatchObject({ actor: 'ops', target: userId });
    expect(all.find((event) => event.type === 'client_created')).toMatchObject({ target: 'audit_client' });
  });

  it('never stores or logs a secret, and writes one structured log line per event', async () => {
    const rows = JSON.stringify(await ctx.database.query('SELECT * FROM audit_event'));
    for (const secret of [USER_PASSWORD, 'wrong 1', CLIENT_SECRET]) expect(rows).not.toContain(secret);
    const lines = ctx.app.logs.filter((line) => line.includes('"audit event"'));
    expect(lines.length).toBe((await events()).total);
    expect(JSON.parse(lines[0]!).audit).toMatchObject({ type: expect.any(String), outcome: expect.any(String) });
    for (const secret of [USER_PASSWORD, 'wrong 1', CLIENT_SECRET]) expect(lines.join('\n')).not.toContain(secret);
  });

  it('filters by user, client and time, and pages newest first', async () => {
    const total = (await events()).total;
    const page1 = await events({ limit: 2 });
    const page2 = await events({ limit: 2, offset: 2 });
    expect(page1.total).toBe(total);
    expect(page1.events).toHaveLength(2);
    expect(page2.events[0]!.occurredAt <= page1.events[1]!.occurredAt).toBe(true);
    expect((await events({ client: 'audit_client' })).events.every((event) => event.clientId === 'audit_client')).toBe(
      true,
    );
    expect((await events({ user: 'aud\\agent' })).events.length).toBeGreaterThanOrEqual(3);
    expect((await events({ user: 'ops' })).events.length).toBeGreaterThanOrEqual(4);
    expect((await events({ since: '2999-01-01T00:00:00Z' })).total).toBe(0);
    expect((await events({ until: '2000-01-01T00:00:00Z' })).total).toBe(0);
  });

  it.each([
    [{ type: 'bogus' }],
    [{ since: 'yesterday' }],
    [{ limit: '0' }],
    [{ limit: '501' }],
    [{ offset: '-1' }],
    [{ unknown: 'x' }],
    [{ since: '2026-02-01T00:00:00Z', until: '2026-01-01T00:00:00Z' }],
  ])('answers 400 (code 2) to %j', async (query) => {
    const response = await http().get(EVENTS).query(query).auth(OPS.username, OPS.password);
    expect(response.status).toBe(400);
    expect(response.body.status.code).toBe(2);
  });

  it('needs the ops credentials', async () => {
    expect((await http().get(EVENTS)).status).toBe(401);
  });

  it('purges events past AUDIT_RETENTION_DAYS in one replica at a time (advisory lock)', async () => {
    await ctx.database.query(
      "INSERT INTO audit_event (occurred_at, type, outcome) VALUES (now() - interval '91 days', 'sign_in', 'success')",
    );
    const before = (await events()).total;
    const purge = ctx.app.service.app.get(AuditPurge);
    // Another replica holds the lock: this one skips.
    const other = new Client({ connectionString: ctx.database.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock($1)', [0x617564_6974]);
      expect(await purge.purge()).toBeNull();
      await other.query('COMMIT');
    } finally {
      await other.end();
    }
    expect(await purge.purge()).toBe(1);
    expect((await events()).total).toBe(before - 1);
  });

  it('records token exchanges (granted and refused) and sign-outs, with the caller and the subject', async () => {
    await createClient(ctx.app, {
      client_id: 'audit_exchanger',
      client_secret: CLIENT_SECRET,
      authorizedGrantTypes: ['password', 'urn:ietf:params:oauth:grant-type:token-exchange'],
    });
    const token = (body: Record<string, string>, requestId: string) =>
      http()
        .post('/auth/v3/oauth/token')
        .auth('audit_exchanger', CLIENT_SECRET)
        .set('X-Request-Id', requestId)
        .type('form')
        .send(body);
    const login = await token({ grant_type: 'password', username: 'aud\\agent', password: USER_PASSWORD }, 'x-login');
    expect(login.status).toBe(200);
    const exchange = (subject: string, requestId: string) =>
      token(
        {
          grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
          subject_token: subject,
          subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        },
        requestId,
      );
    const exchanged = await exchange(login.body.access_token, 'x-exchange-ok');
    expect(exchanged.status).toBe(200);
    expect((await exchange('not-a-token', 'x-exchange-bad')).status).toBe(400);
    await http()
      .post('/auth/v3/sign-out')
      .set('authorization', `Bearer ${exchanged.body.access_token}`)
      .set('X-Request-Id', 'x-sign-out')
      .expect(200);

    const exchanges = (await events({ type: 'token_exchange' })).events;
    expect(
      exchanges.map((event) => [
        event.outcome,
        event.requestId,
        event.actor,
        event.target,
        event.detail?.error ?? null,
      ]),
    ).toEqual([
      ['failure', 'x-exchange-bad', 'audit_exchanger', null, 'invalid_grant'],
      ['success', 'x-exchange-ok', 'audit_exchanger', expect.stringMatching(/\\agent$/), null],
    ]);
    const subject = exchanges[1]!.target;
    const signOuts = (await events({ type: 'sign_out' })).events;
    expect(signOuts).toHaveLength(1);
    expect(signOuts[0]).toMatchObject({
      outcome: 'success',
      actor: subject,
      clientId: 'audit_exchanger',
      requestId: 'x-sign-out',
      detail: { global: false, channel: 'bearer' },
    });
    const stored = JSON.stringify([...exchanges, ...signOuts]);
    for (const secret of [login.body.access_token, exchanged.body.access_token, CLIENT_SECRET]) {
      expect(stored).not.toContain(secret);
    }
  });

  it('records password changes (wrong old password, success) with who, source IP and request id', async () => {
    const login = await grant('aud\\agent', USER_PASSWORD, 'pw-login');
    expect(login.status).toBe(200);
    const change = (oldPassword: string, requestId: string) =>
      http()
        .post('/auth/v3/change-password')
        .set('authorization', `Bearer ${login.body.access_token}`)
        .set('X-Request-Id', requestId)
        .send({ data: { oldPassword, newPassword: 'a brand new pass 456' } });
    expect((await change('not the password', 'pw-bad')).status).toBe(403);
    expect((await change(USER_PASSWORD, 'pw-ok')).status).toBe(200);
    const changes = (await events({ type: 'password_changed' })).events;
    expect(changes.map((event) => [event.outcome, event.requestId, event.detail])).toEqual([
      ['success', 'pw-ok', { channel: 'api' }],
      ['failure', 'pw-bad', { channel: 'api', reason: 'rejected' }],
    ]);
    expect(changes[0]).toMatchObject({ actor: expect.stringMatching(/\\agent$/), sourceIp: '127.0.0.1' });
    expect(JSON.stringify(changes)).not.toContain('a brand new pass');
  });
});

import { auditEventsOf } from '@cxauth/testing';
import { type AuthApiTestContext, OPS, startAuthApi } from '../../testing/auth-api-test-app';

/**
 * auth-api's ops API (HTTP Basic) in the audit trail, real PostgreSQL and Redis: a wrong ops password
 * and an attempt refused while locked are `sign_in` failures (channel `ops_basic`, the user name as
 * typed, never the password); a good one is no sign-in event, only the operation's own event.
 */
describe('ops Basic failures in the audit trail (auth-api)', () => {
  let ctx: AuthApiTestContext;
  const http = () => ctx.app.http();
  const clients = (user: string, password: string, requestId: string) =>
    http().get('/auth/v3/ops/clients').auth(user, password).set('X-Request-Id', requestId);

  beforeAll(async () => {
    ctx = await startAuthApi({ LOGIN_LOCKOUT_FAILURES: '2', LOGIN_THROTTLE_DELAY_MS: '0' });
  });
  afterAll(() => ctx?.close());

  it('records no sign-in for a good ops Basic call; an operation is audited on its own', async () => {
    expect((await clients(OPS.username, OPS.password, 'ops-good-read')).status).toBe(200);
    expect(await auditEventsOf(ctx.database, 'ops-good-read')).toEqual([]);
    await http()
      .post('/auth/v3/ops/signing-keys/rotate')
      .auth(OPS.username, OPS.password)
      .set('X-Request-Id', 'ops-good-write')
      .expect(200);
    expect(
      (await auditEventsOf(ctx.database, 'ops-good-write')).map((row) => [row.type, row.outcome, row.actor]),
    ).toEqual([['signing_key_rotated', 'success', OPS.username]]);
  });

  it('records a wrong ops password and a locked attempt as sign_in failures, with the name as typed', async () => {
    expect((await clients(OPS.username, 'guessed-ops-1', 'ops-bad-1')).status).toBe(401);
    expect(await auditEventsOf(ctx.database, 'ops-bad-1')).toEqual([
      {
        type: 'sign_in',
        outcome: 'failure',
        actor: OPS.username,
        target: null,
        client_id: null,
        tenant: null,
        source_ip: '127.0.0.1',
        request_id: 'ops-bad-1',
        detail: { channel: 'ops_basic', reason: 'bad_credentials' },
      },
    ]);
    // An unknown name is recorded as typed too (the answer does not tell whether it exists).
    expect((await clients('Root Admin', 'guessed-ops-2', 'ops-bad-name')).status).toBe(401);
    expect(await auditEventsOf(ctx.database, 'ops-bad-name')).toEqual([
      expect.objectContaining({ actor: 'Root Admin', detail: { channel: 'ops_basic', reason: 'bad_credentials' } }),
    ]);
    // The second failure of the ops name locks it: its attempts are refused unchecked, and recorded.
    expect((await clients(OPS.username, 'guessed-ops-3', 'ops-bad-2')).status).toBe(401);
    expect((await auditEventsOf(ctx.database, 'ops-bad-2')).map((row) => row.type)).toEqual(['lockout', 'sign_in']);
    const locked = await clients(OPS.username, OPS.password, 'ops-locked');
    expect(locked.status).toBe(429);
    expect(await auditEventsOf(ctx.database, 'ops-locked')).toEqual([
      expect.objectContaining({
        type: 'sign_in',
        outcome: 'failure',
        actor: OPS.username,
        source_ip: '127.0.0.1',
        detail: { channel: 'ops_basic', reason: 'locked' },
      }),
    ]);
    expect(JSON.stringify(await ctx.database.query('SELECT * FROM audit_event'))).not.toContain('guessed-ops');
  });
});

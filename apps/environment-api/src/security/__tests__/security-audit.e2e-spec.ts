import { auditEventsOf } from '@cxauth/testing';
import { randomUUID } from 'node:crypto';
import {
  environmentBody,
  EnvironmentTestContext,
  FakeUserInfo,
  OPS,
  startEnvironmentApi,
  startFakeUserInfo,
} from '../../__tests__/environment-test-app';

/**
 * What environment-api's guards put in the audit trail (real PostgreSQL, real Redis throttle): a wrong
 * ops password and an attempt refused while locked are `sign_in` failures (channel `ops_basic`), a good
 * one is nothing; a write refused with 403 to an authenticated caller is `access_denied`, a refused
 * read is nothing.
 */
describe('environment-api security audit events', () => {
  let ctx: EnvironmentTestContext;
  let userInfo: FakeUserInfo;
  let own: string;
  let foreign: string;
  const api = () => ctx.app.http();

  beforeAll(async () => {
    userInfo = await startFakeUserInfo({
      'service-token': { username: 'tenant-app', authorities: ['ROLE_INTERNAL_CLIENT'] },
      'agent-token': { username: 'agent1', authorities: ['ROLE_AGENT'] },
    });
    ctx = await startEnvironmentApi({
      AUTH_API_URL: userInfo.url,
      LOGIN_LOCKOUT_FAILURES: '2',
      LOGIN_THROTTLE_DELAY_MS: '0',
    });
    const environmentId = randomUUID();
    await api()
      .post('/environment/v3/environments')
      .auth(OPS.user, OPS.password)
      .send(environmentBody({ id: environmentId }))
      .expect(200);
    [own, foreign] = [randomUUID(), randomUUID()];
    for (const [id, domain] of [
      [own, 'audit-own'],
      [foreign, 'audit-foreign'],
    ] as const) {
      await api()
        .post('/environment/v3/contact-centers')
        .auth(OPS.user, OPS.password)
        .send({ data: { domains: [domain], environmentId, auth: 'configServer', id } })
        .expect(200);
    }
    await ctx.database.query(
      `INSERT INTO oauth_client (client_id, name, client_type, access_token_validity, refresh_token_validity,
         authorities, contact_center_ids)
       VALUES ('tenant-app', 'tenant-app', 'CONFIDENTIAL', 3600, 3600, '{ROLE_INTERNAL_CLIENT}', $1)`,
      [[own]],
    );
  });
  afterAll(async () => {
    await ctx?.close();
    await userInfo?.close();
  });

  it('records wrong ops passwords and attempts refused while locked, with the name as typed, never the password', async () => {
    const basic = (user: string, password: string, requestId: string) =>
      api().get('/environment/v3/environments').auth(user, password).set('X-Request-Id', requestId);
    expect((await basic('Guesser', 'secret-guess-1', 'env-ops-bad-1')).status).toBe(401);
    expect((await basic('Guesser', 'secret-guess-2', 'env-ops-bad-2')).status).toBe(401);
    expect((await basic('Guesser', 'secret-guess-3', 'env-ops-locked')).status).toBe(429);
    expect((await basic(OPS.user, OPS.password, 'env-ops-good')).status).toBe(200);

    expect(await auditEventsOf(ctx.database, 'env-ops-bad-1')).toEqual([
      {
        type: 'sign_in',
        outcome: 'failure',
        actor: 'Guesser',
        target: null,
        client_id: null,
        tenant: null,
        source_ip: '127.0.0.1',
        request_id: 'env-ops-bad-1',
        detail: { channel: 'ops_basic', reason: 'bad_credentials' },
      },
    ]);
    // The second failure also starts the lockout (its own event).
    expect(
      (await auditEventsOf(ctx.database, 'env-ops-bad-2')).map((row) => [row.type, row.detail?.reason ?? null]),
    ).toEqual([
      ['lockout', null],
      ['sign_in', 'bad_credentials'],
    ]);
    expect(await auditEventsOf(ctx.database, 'env-ops-locked')).toEqual([
      expect.objectContaining({
        type: 'sign_in',
        outcome: 'failure',
        actor: 'Guesser',
        detail: { channel: 'ops_basic', reason: 'locked' },
      }),
    ]);
    // A good ops Basic call is not a sign-in event (the operations themselves are audited).
    expect(await auditEventsOf(ctx.database, 'env-ops-good')).toEqual([]);
    const stored = JSON.stringify(await ctx.database.query('SELECT * FROM audit_event'));
    expect(stored).not.toContain('secret-guess');
  });

  it('records writes refused by tenant scope as access_denied, with the caller, the contact center and the route', async () => {
    const refused = await api()
      .put(`/environment/v3/contact-centers/${foreign}`)
      .set('authorization', 'Bearer service-token')
      .set('X-Request-Id', 'env-scope-write')
      .send({ data: { domains: ['stolen'] } });
    expect(refused.status).toBe(403);
    expect(await auditEventsOf(ctx.database, 'env-scope-write')).toEqual([
      {
        type: 'access_denied',
        outcome: 'failure',
        actor: 'tenant-app',
        client_id: null,
        target: foreign,
        tenant: null,
        source_ip: '127.0.0.1',
        request_id: 'env-scope-write',
        detail: { reason: 'tenant_scope', method: 'PUT', route: '/environment/v3/contact-centers/:id' },
      },
    ]);
    const global = await api()
      .post('/environment/v3/environments')
      .set('authorization', 'Bearer service-token')
      .set('X-Request-Id', 'env-scope-global')
      .send(environmentBody({ id: randomUUID() }));
    expect(global.status).toBe(403);
    expect(await auditEventsOf(ctx.database, 'env-scope-global')).toEqual([
      expect.objectContaining({
        type: 'access_denied',
        target: null,
        detail: { reason: 'tenant_scope', method: 'POST', route: '/environment/v3/environments' },
      }),
    ]);
    // A read of another tenant (404, like an unknown id) and an allowed write are not access_denied events.
    await api()
      .get(`/environment/v3/contact-centers/${foreign}`)
      .set('authorization', 'Bearer service-token')
      .set('X-Request-Id', 'env-scope-read')
      .expect(404);
    expect(await auditEventsOf(ctx.database, 'env-scope-read')).toEqual([]);
    await api()
      .put(`/environment/v3/contact-centers/${own}`)
      .set('authorization', 'Bearer service-token')
      .set('X-Request-Id', 'env-scope-own')
      .send({ data: { domains: ['audit-own', 'audit-own-2'] } })
      .expect(200);
    expect((await auditEventsOf(ctx.database, 'env-scope-own')).map((row) => row.type)).toEqual([
      'contact_center_updated',
    ]);
  });

  it('records operator-only and ops-Basic-only writes refused to a token, and a token without the authority; not reads', async () => {
    const denied = async (requestId: string) =>
      (await auditEventsOf(ctx.database, requestId)).map((row) => [row.type, row.detail?.reason]);
    expect(
      (
        await api()
          .post('/environment/v3/cors')
          .set('authorization', 'Bearer service-token')
          .set('X-Request-Id', 'env-ops-only')
          .send({ data: { contactCenterId: own, origin: 'https://evil.example' } })
      ).status,
    ).toBe(403);
    expect(await denied('env-ops-only')).toEqual([['access_denied', 'ops_only']]);
    expect(
      (
        await api()
          .post('/environment/v3/data-centers')
          .set('authorization', 'Bearer service-token')
          .set('X-Request-Id', 'env-basic-only')
          .send({ data: { location: '/usw1', entryPoint: 'https://gauth.example.com', readOnly: false } })
      ).status,
    ).toBe(403);
    expect(await denied('env-basic-only')).toEqual([['access_denied', 'ops_basic_only']]);
    expect(
      (
        await api()
          .delete(`/environment/v3/contact-centers/${own}`)
          .set('authorization', 'Bearer agent-token')
          .set('X-Request-Id', 'env-no-authority')
      ).status,
    ).toBe(403);
    expect(await denied('env-no-authority')).toEqual([['access_denied', 'authority']]);
    expect(
      (
        await api()
          .get('/environment/v3/environments')
          .set('authorization', 'Bearer agent-token')
          .set('X-Request-Id', 'env-no-authority-read')
      ).status,
    ).toBe(403);
    expect(await auditEventsOf(ctx.database, 'env-no-authority-read')).toEqual([]);
  });
});

import { auditEventsOf } from '@cxauth/testing';
import { randomUUID } from 'node:crypto';
import {
  environmentBody,
  EnvironmentTestContext,
  FakeUserInfo,
  OPS,
  startEnvironmentApi,
  startFakeUserInfo,
} from './environment-test-app';

/**
 * environment-api writes are audit events in the shared `audit_event` table (real PostgreSQL), read by
 * auth-api's `GET /auth/v3/ops/audit-events`: who (the ops user or the token's subject), what, which
 * resource, the outcome, source IP and request id; never a secret.
 */
describe('environment-api audit trail', () => {
  let ctx: EnvironmentTestContext;
  let userInfo: FakeUserInfo;
  const api = () => ctx.app.http();

  beforeAll(async () => {
    userInfo = await startFakeUserInfo({
      'gws-token': { username: 'external_api_client', authorities: ['ROLE_INTERNAL_CLIENT'] },
    });
    ctx = await startEnvironmentApi({ AUTH_API_URL: userInfo.url });
    // The product's GWS client: bound to no contact center, so it reaches every one.
    await ctx.database.query(
      `INSERT INTO oauth_client (client_id, name, client_type, access_token_validity, refresh_token_validity, authorities)
       VALUES ('external_api_client', 'GWS', 'CONFIDENTIAL', 3600, 3600, '{ROLE_INTERNAL_CLIENT}')`,
    );
  });
  afterAll(async () => {
    await ctx?.close();
    await userInfo?.close();
  });

  it('records environment, contact center, setting and CORS changes with the actor and the resource', async () => {
    const environmentId = randomUUID();
    await api()
      .post('/environment/v3/environments')
      .auth(OPS.user, OPS.password)
      .set('X-Request-Id', 'env-create')
      .send(environmentBody({ id: environmentId }))
      .expect(200);
    const contactCenterId = randomUUID();
    await api()
      .post('/environment/v3/contact-centers')
      .set('authorization', 'Bearer gws-token')
      .set('X-Request-Id', 'cc-create')
      .send({ data: { domains: ['audited-cc'], environmentId, auth: 'configServer', id: contactCenterId } })
      .expect(200);
    await api()
      .post(`/environment/v3/contact-centers/${contactCenterId}/settings`)
      .auth(OPS.user, OPS.password)
      .set('X-Request-Id', 'cc-setting')
      .send({ data: { location: '/', name: 'cors-origins', shared: 'true', value: 'https://audited.example' } })
      .expect(200);
    await api()
      .post('/environment/v3/cors')
      .auth(OPS.user, OPS.password)
      .set('X-Request-Id', 'cors-add')
      .send({ data: { contactCenterId, origin: 'https://app.audited.example' } })
      .expect(200);
    await api()
      .delete(`/environment/v3/contact-centers/${contactCenterId}`)
      .auth(OPS.user, OPS.password)
      .set('X-Request-Id', 'cc-delete')
      .expect(200);

    expect(await auditEventsOf(ctx.database, 'env-create')).toEqual([
      expect.objectContaining({
        type: 'environment_created',
        outcome: 'success',
        actor: 'ops',
        target: environmentId,
        source_ip: '127.0.0.1',
      }),
    ]);
    expect(await auditEventsOf(ctx.database, 'cc-create')).toEqual([
      expect.objectContaining({
        type: 'contact_center_created',
        actor: 'external_api_client',
        target: contactCenterId,
      }),
    ]);
    expect(await auditEventsOf(ctx.database, 'cc-setting')).toEqual([
      expect.objectContaining({ type: 'contact_center_setting_changed', actor: 'ops', target: contactCenterId }),
    ]);
    expect(await auditEventsOf(ctx.database, 'cors-add')).toEqual([
      expect.objectContaining({ type: 'cors_origin_added', actor: 'ops', target: 'https://app.audited.example' }),
    ]);
    expect(await auditEventsOf(ctx.database, 'cc-delete')).toEqual([
      expect.objectContaining({ type: 'contact_center_deleted', outcome: 'success', target: contactCenterId }),
    ]);
  });

  it('records refused writes (bad input, unknown id) as failures, and nothing secret', async () => {
    await api()
      .post('/environment/v3/environments')
      .auth(OPS.user, OPS.password)
      .set('X-Request-Id', 'env-bad')
      .send({ data: { username: 'x', password: 'never-stored-Pa55' } })
      .expect(400);
    const unknown = randomUUID();
    await api()
      .delete(`/environment/v3/data-centers/${unknown}`)
      .auth(OPS.user, OPS.password)
      .set('X-Request-Id', 'dc-unknown')
      .expect(404);
    expect(await auditEventsOf(ctx.database, 'env-bad')).toEqual([
      expect.objectContaining({ type: 'environment_created', outcome: 'failure', actor: 'ops' }),
    ]);
    expect(await auditEventsOf(ctx.database, 'dc-unknown')).toEqual([
      expect.objectContaining({ type: 'data_center_deleted', outcome: 'failure', target: unknown }),
    ]);
    const stored = JSON.stringify(await ctx.database.query('SELECT * FROM audit_event'));
    expect(stored).not.toContain('never-stored-Pa55');
    expect(stored).not.toContain('cfg-secret-Pa55');
  });

  it('records nothing for reads', async () => {
    await api()
      .get('/environment/v3/environments')
      .auth(OPS.user, OPS.password)
      .set('X-Request-Id', 'read')
      .expect(200);
    await api()
      .post('/environment/v3/environments')
      .auth(OPS.user, OPS.password)
      .set('X-Request-Id', 'after-read')
      .send(environmentBody({ id: randomUUID() }))
      .expect(200);
    expect(await auditEventsOf(ctx.database, 'after-read')).toHaveLength(1);
    expect(await auditEventsOf(ctx.database, 'read')).toEqual([]);
  });
});

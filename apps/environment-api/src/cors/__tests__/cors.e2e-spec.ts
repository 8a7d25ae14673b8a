import { randomUUID } from 'node:crypto';
import { createTestApp, createTestStorage, TestApp } from '@cxauth/testing';
import { environmentApiConfigSchema } from '../../environment-api.config';
import { environmentApiService } from '../../environment-api.service';
import {
  environmentBody,
  EnvironmentTestContext,
  OPS,
  startEnvironmentApi,
} from '../../__tests__/environment-test-app';

const ENVIRONMENTS = '/environment/v3/environments';
let ctx: EnvironmentTestContext;
let contactCenterId: string;
const api = () => ctx.app.http();

function preflight(app: TestApp, origin: string) {
  return app
    .http()
    .options(ENVIRONMENTS)
    .set('origin', origin)
    .set('access-control-request-method', 'POST')
    .set('access-control-request-headers', 'authorization,content-type');
}

async function setCorsSetting(value: string, location = '/') {
  await api()
    .post(`/environment/v3/contact-centers/${contactCenterId}/settings`)
    .auth(OPS.user, OPS.password)
    .send({ data: { location, name: 'cors-origins', shared: 'true', value } })
    .expect(200);
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 3_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

beforeAll(async () => {
  ctx = await startEnvironmentApi({ LOCATION: '/USW1' });
  const environmentId = randomUUID();
  await api()
    .post(ENVIRONMENTS)
    .auth(OPS.user, OPS.password)
    .send(environmentBody({ id: environmentId }))
    .expect(200);
  contactCenterId = randomUUID();
  await api()
    .post('/environment/v3/contact-centers')
    .auth(OPS.user, OPS.password)
    .send({ data: { id: contactCenterId, environmentId, domains: ['cors-tenant'], auth: 'configServer' } })
    .expect(200);
});
afterAll(async () => ctx?.close());

describe('CORS', () => {
  it('with no origin configured, every origin is allowed (the product default), never with credentials', async () => {
    const response = await preflight(ctx.app, 'https://anything.example');
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('https://anything.example');
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    expect(response.headers['access-control-allow-methods']).toContain('POST');
    expect(response.headers.vary).toMatch(/Origin/);
    const get = await api().get(ENVIRONMENTS).auth(OPS.user, OPS.password).set('origin', 'https://anything.example');
    expect(get.status).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBe('https://anything.example');
    expect(get.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('never echoes Origin: null, even with the allow default', async () => {
    const response = await preflight(ctx.app, 'null');
    expect(response.status).toBe(403);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const get = await api().get(ENVIRONMENTS).auth(OPS.user, OPS.password).set('origin', 'null');
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
    expect(get.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('once cors-origins is set, allowed origins are echoed and others refused — without a restart', async () => {
    await setCorsSetting('https://wwe.example.com, https://gws.example.com:8443');
    const allowed = await preflight(ctx.app, 'https://wwe.example.com');
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://wwe.example.com');
    // A configured origin gets credentialed CORS.
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    expect(allowed.headers['access-control-allow-headers']).toMatch(/Authorization/);
    const withPort = await preflight(ctx.app, 'https://gws.example.com:8443');
    expect(withPort.headers['access-control-allow-origin']).toBe('https://gws.example.com:8443');

    const refused = await preflight(ctx.app, 'https://evil.example');
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      status: { code: 4, message: 'Origin https://evil.example is not allowed by the CORS configuration' },
    });
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();

    // An ordinary request from a refused origin is served without CORS headers: the browser hides it.
    const simple = await api().get(ENVIRONMENTS).auth(OPS.user, OPS.password).set('origin', 'https://evil.example');
    expect(simple.status).toBe(200);
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
    // Server-to-server calls (no Origin) are unaffected.
    await api().get(ENVIRONMENTS).auth(OPS.user, OPS.password).expect(200);
  });

  it('settings for another location do not apply here; this location’s do', async () => {
    await setCorsSetting('https://euw1-only.example', '/EUW1');
    expect((await preflight(ctx.app, 'https://euw1-only.example')).status).toBe(403);
    await setCorsSetting('https://usw1-only.example', '/usw1');
    expect((await preflight(ctx.app, 'https://usw1-only.example')).status).toBe(204);
  });

  it('the /cors API adds, lists and removes single origins', async () => {
    const added = await api()
      .post('/environment/v3/cors')
      .auth(OPS.user, OPS.password)
      .send({ data: { contactCenterId, origin: 'https://Prov.Example.com/' } });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ status: { code: 0 }, path: expect.stringMatching(/^\/cors\/[0-9a-f-]{36}$/) });
    expect((await preflight(ctx.app, 'https://prov.example.com')).status).toBe(204);

    const listed = await api().get('/environment/v3/cors').auth(OPS.user, OPS.password);
    expect(listed.status).toBe(200);
    expect(listed.body.data.origins).toEqual(
      expect.arrayContaining(['https://prov.example.com', 'https://wwe.example.com', 'https://usw1-only.example']),
    );
    expect(listed.body.data.origins).not.toContain('https://euw1-only.example');
    expect(listed.body.data.entries).toEqual([
      expect.objectContaining({ contactCenterId, origin: 'https://prov.example.com' }),
    ]);

    const duplicate = await api()
      .post('/environment/v3/cors')
      .auth(OPS.user, OPS.password)
      .send({ data: { contactCenterId, origin: 'https://prov.example.com' } });
    expect(duplicate.status).toBe(409);

    const removed = await api()
      .delete('/environment/v3/cors')
      .auth(OPS.user, OPS.password)
      .send({ data: { contactCenterId, origin: 'https://prov.example.com' } });
    expect(removed.status).toBe(200);
    expect((await preflight(ctx.app, 'https://prov.example.com')).status).toBe(403);
    await api()
      .delete('/environment/v3/cors')
      .auth(OPS.user, OPS.password)
      .send({ data: { contactCenterId, origin: 'https://prov.example.com' } })
      .expect(404);

    const again = await api()
      .post('/environment/v3/cors')
      .auth(OPS.user, OPS.password)
      .send({ data: { contactCenterId, origin: 'https://byid.example' } });
    const id = (again.body.path as string).split('/')[2];
    await api().delete(`/environment/v3/cors/${id}`).auth(OPS.user, OPS.password).expect(200);
    await api().delete(`/environment/v3/cors/${id}`).auth(OPS.user, OPS.password).expect(404);
  });

  it.each([
    ['an origin with a path', { origin: 'https://x.example/app' }],
    ['not a URL', { origin: 'nope' }],
    ['a wildcard', { origin: '*' }],
    ['contactCenterId not a UUID', { contactCenterId: 'cc', origin: 'https://x.example' }],
    ['an unknown field', { origin: 'https://x.example', extra: true }],
  ])('POST /cors with %s → 400', async (_name, fields) => {
    const response = await api()
      .post('/environment/v3/cors')
      .auth(OPS.user, OPS.password)
      .send({ data: { contactCenterId, ...fields } });
    expect(response.status).toBe(400);
    expect(response.body.status.code).toBe(2);
  });

  it('POST /cors for an unknown contact center → 404', async () => {
    const response = await api()
      .post('/environment/v3/cors')
      .auth(OPS.user, OPS.password)
      .send({ data: { contactCenterId: randomUUID(), origin: 'https://x.example' } });
    expect(response.status).toBe(404);
  });

  it('a change made on one replica reaches another replica through Redis pub/sub (no restart, no polling)', async () => {
    const replica = await createTestApp(environmentApiConfigSchema, environmentApiService, {
      ...ctx.env,
      LOCATION: '/USW1',
      CORS_REFRESH_INTERVAL_MS: '0',
    });
    try {
      expect((await preflight(replica, 'https://late.example')).status).toBe(403);
      await api()
        .post('/environment/v3/cors')
        .auth(OPS.user, OPS.password)
        .send({ data: { contactCenterId, origin: 'https://late.example' } })
        .expect(200);
      expect(await eventually(async () => (await preflight(replica, 'https://late.example')).status === 204)).toBe(
        true,
      );
    } finally {
      await replica.close();
    }
  });

  it('CORS_DEFAULT=deny refuses every cross-origin preflight while no origin is configured', async () => {
    const storage = await createTestStorage();
    const denying = await createTestApp(environmentApiConfigSchema, environmentApiService, {
      ...storage.env,
      CORS_DEFAULT: 'deny',
    });
    try {
      const refused = await preflight(denying, 'https://anything.example');
      expect(refused.status).toBe(403);
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      // A same-origin request (Origin = the service's own host) is not cross-origin and stays allowed.
      const host = new URL(denying.service.url).host;
      const same = await preflight(denying, `http://${host}`);
      expect(same.status).toBe(204);
    } finally {
      await denying.close();
      await storage.database.drop();
    }
  });
});

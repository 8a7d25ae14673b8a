import { randomUUID } from 'node:crypto';
import { createTestApp } from '@cxauth/testing';
import { environmentApiConfigSchema } from '../../environment-api.config';
import { environmentApiService } from '../../environment-api.service';
import {
  environmentBody,
  EnvironmentTestContext,
  OPS,
  startEnvironmentApi,
} from '../../__tests__/environment-test-app';

const BASE = '/environment/v3/data-centers';
let ctx: EnvironmentTestContext;
const api = () => ctx.app.http();
const count = async (table: string) =>
  Number((await ctx.database.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n);

beforeAll(async () => {
  // This deployment says it runs in /EUW1 (the read-only test below marks that region read-only).
  ctx = await startEnvironmentApi({ LOCATION: '/EUW1' });
});
afterAll(async () => ctx?.close());

describe('data centers', () => {
  let id: string;

  it('adds one with the seed 001 command shape (ops Basic) and lists it', async () => {
    const response = await api()
      .post(BASE)
      .auth(OPS.user, OPS.password)
      .send({ data: { location: '/usw1', entryPoint: 'https://gauth.usw1.example.com', readOnly: false } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: { code: 0 },
      path: expect.stringMatching(/^\/data-centers\/[0-9a-f-]{36}$/),
    });
    id = (response.body.path as string).split('/')[2]!;
    const list = await api().get(BASE).auth(OPS.user, OPS.password);
    expect(list.body.data).toEqual([
      expect.objectContaining({ id, location: '/usw1', entryPoint: 'https://gauth.usw1.example.com', readOnly: false }),
    ]);
    const one = await api().get(`${BASE}/${id}`).auth(OPS.user, OPS.password);
    expect(one.body.data).toMatchObject({ id, location: '/usw1' });
  });

  it('locations are case-insensitive: /USW1 again is 409', async () => {
    const response = await api()
      .post(BASE)
      .auth(OPS.user, OPS.password)
      .send({ data: { location: '/USW1', entryPoint: 'https://other.example.com', readOnly: true } });
    expect(response.status).toBe(409);
    expect(response.body.status.code).toBe(6);
    expect(await count('data_center')).toBe(1);
  });

  it.each([
    ['entryPoint not a URL', { location: '/x1', entryPoint: 'gauth' }],
    ['location without a slash', { location: 'usw1', entryPoint: 'https://a.example' }],
    ['location "/" (not a region)', { location: '/', entryPoint: 'https://a.example' }],
    ['readOnly as a number', { location: '/x2', entryPoint: 'https://a.example', readOnly: 1 }],
    ['missing entryPoint', { location: '/x3' }],
    ['unknown field', { location: '/x4', entryPoint: 'https://a.example', primary: true }],
  ])('%s → 400', async (_name, data) => {
    const response = await api().post(BASE).auth(OPS.user, OPS.password).send({ data });
    expect(response.status).toBe(400);
    expect(response.body.status.code).toBe(2);
    expect(await count('data_center')).toBe(1);
  });

  it('PUT changes fields, unknown ids are 404, DELETE removes', async () => {
    const updated = await api()
      .put(`${BASE}/${id}`)
      .auth(OPS.user, OPS.password)
      .send({ data: { entryPoint: 'https://gauth2.usw1.example.com' } });
    expect(updated.status).toBe(200);
    const one = await api().get(`${BASE}/${id}`).auth(OPS.user, OPS.password);
    expect(one.body.data).toMatchObject({ entryPoint: 'https://gauth2.usw1.example.com', readOnly: false });
    const unknown = randomUUID();
    await api().get(`${BASE}/${unknown}`).auth(OPS.user, OPS.password).expect(404);
    await api()
      .put(`${BASE}/${unknown}`)
      .auth(OPS.user, OPS.password)
      .send({ data: { readOnly: true } })
      .expect(404);
    await api().delete(`${BASE}/${unknown}`).auth(OPS.user, OPS.password).expect(404);

    const extra = await api()
      .post(BASE)
      .auth(OPS.user, OPS.password)
      .send({ data: { location: '/apse2', entryPoint: 'https://gauth.apse2.example.com', readOnly: 'false' } });
    const extraId = (extra.body.path as string).split('/')[2];
    await api().delete(`${BASE}/${extraId}`).auth(OPS.user, OPS.password).expect(200);
    await api().get(`${BASE}/${extraId}`).auth(OPS.user, OPS.password).expect(404);
  });
});

describe('read-only regions', () => {
  let euw1: string;

  beforeAll(async () => {
    const response = await api()
      .post(BASE)
      .auth(OPS.user, OPS.password)
      .send({ data: { location: '/euw1', entryPoint: 'https://gauth.euw1.example.com', readOnly: true } });
    expect(response.status).toBe(200);
    euw1 = (response.body.path as string).split('/')[2]!;
  });

  it('refuses writes with 403 code 10 naming the writable entry point, and writes nothing', async () => {
    const before = await count('environment');
    const response = await api()
      .post('/environment/v3/environments')
      .auth(OPS.user, OPS.password)
      .send(environmentBody());
    expect(response.status).toBe(403);
    expect(response.body.status.code).toBe(10);
    expect(response.body.status.message).toBe(
      'This region (/euw1) is read-only; send writes to https://gauth2.usw1.example.com (data center /usw1)',
    );
    expect(response.body.status.detail).toEqual({
      location: '/euw1',
      writableEntryPoint: 'https://gauth2.usw1.example.com',
      writableLocation: '/usw1',
    });
    expect(await count('environment')).toBe(before);
    // Reads still work.
    await api().get('/environment/v3/environments').auth(OPS.user, OPS.password).expect(200);
  });

  it('FORCE_WRITABLE=true takes the write anyway', async () => {
    const forced = await createTestApp(environmentApiConfigSchema, environmentApiService, {
      ...ctx.env,
      LOCATION: '/EUW1',
      FORCE_WRITABLE: 'true',
    });
    try {
      const response = await forced
        .http()
        .post('/environment/v3/environments')
        .auth(OPS.user, OPS.password)
        .send(environmentBody());
      expect(response.status).toBe(200);
    } finally {
      await forced.close();
    }
  });

  it('the data-center map stays writable, so the region can be promoted; then writes pass', async () => {
    const promoted = await api()
      .put(`${BASE}/${euw1}`)
      .auth(OPS.user, OPS.password)
      .send({ data: { readOnly: false } });
    expect(promoted.status).toBe(200);
    const response = await api()
      .post('/environment/v3/environments')
      .auth(OPS.user, OPS.password)
      .send(environmentBody());
    expect(response.status).toBe(200);
  });

  it('with no writable data center left, the message says so', async () => {
    await api()
      .put(`${BASE}/${euw1}`)
      .auth(OPS.user, OPS.password)
      .send({ data: { readOnly: true } })
      .expect(200);
    const list = await api().get(BASE).auth(OPS.user, OPS.password);
    for (const dc of list.body.data as { id: string }[]) {
      await api()
        .put(`${BASE}/${dc.id}`)
        .auth(OPS.user, OPS.password)
        .send({ data: { readOnly: true } })
        .expect(200);
    }
    const response = await api()
      .post('/environment/v3/environments')
      .auth(OPS.user, OPS.password)
      .send(environmentBody());
    expect(response.status).toBe(403);
    expect(response.body.status).toMatchObject({
      code: 10,
      message: 'This region (/euw1) is read-only; no writable data center is registered',
    });
  });
});

import { randomUUID } from 'node:crypto';
import { ENVIRONMENT_PASSWORD_SEAL } from '@cxauth/persistence';
import { SecretBox } from '@cxauth/platform';
import {
  environmentBody,
  EnvironmentTestContext,
  OPS,
  startEnvironmentApi,
} from '../../__tests__/environment-test-app';

const BASE = '/environment/v3/environments';
let ctx: EnvironmentTestContext;
const api = () => ctx.app.http();
const countEnvironments = async () =>
  Number((await ctx.database.query<{ n: string }>('SELECT count(*) AS n FROM environment'))[0]?.n);
const openPassword = (sealed: string, environmentId: string) =>
  new SecretBox({ ENCRYPTION_KEY: ctx.env.ENCRYPTION_KEY! }).open(sealed, {
    purpose: ENVIRONMENT_PASSWORD_SEAL,
    id: environmentId,
  });

beforeAll(async () => {
  ctx = await startEnvironmentApi();
});
afterAll(async () => ctx?.close());

describe('environments CRUD', () => {
  it('creates an environment from the seed 001 body and answers its path', async () => {
    const response = await api().post(BASE).auth(OPS.user, OPS.password).send(environmentBody());
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    expect(response.body).toEqual({
      status: { code: 0 },
      path: expect.stringMatching(/^\/environments\/[0-9a-f-]{36}$/),
    });
    const id = (response.body.path as string).split('/')[2];

    const one = await api().get(`${BASE}/${id}`).auth(OPS.user, OPS.password);
    expect(one.status).toBe(200);
    expect(one.body.status).toEqual({ code: 0 });
    expect(one.body.data).toMatchObject({
      id,
      username: 'default',
      connectionProtocol: 'addp',
      remoteTimeout: 7,
      localTimeout: 5,
      appName: 'Cloud',
      traceMode: 'CFGTMBoth',
      tlsEnabled: false,
      tenant: 'Environment',
      configServers: [{ primaryAddress: '172.24.132.84', primaryPort: 2020, readOnly: false, locations: '/USW1' }],
    });
    expect(one.body.data).not.toHaveProperty('password');
    expect(JSON.stringify(one.body)).not.toContain('cfg-secret-Pa55');

    const list = await api().get(BASE).auth(OPS.user, OPS.password);
    expect(list.status).toBe(200);
    expect(list.body.data.map((environment: { id: string }) => environment.id)).toContain(id);
    expect(JSON.stringify(list.body)).not.toContain('cfg-secret-Pa55');
  });

  it('keeps the Configuration Server password only encrypted (AES-256-GCM, v1: prefix)', async () => {
    const id = randomUUID();
    await api()
      .post(BASE)
      .auth(OPS.user, OPS.password)
      .send(environmentBody({ id, password: 'plain-text-needle-42' }))
      .expect(200);
    const [row] = await ctx.database.query<Record<string, unknown>>('SELECT * FROM environment WHERE id = $1', [id]);
    expect(JSON.stringify(row)).not.toContain('plain-text-needle-42');
    expect(row?.password_encrypted).toMatch(/^v2:[0-9a-f]{8}:[A-Za-z0-9+/=]+$/);
    expect(openPassword(String(row?.password_encrypted), id)).toBe('plain-text-needle-42');
  });

  it('takes a caller-supplied id, and refuses the same id twice with 409 (no second row)', async () => {
    const id = randomUUID();
    const first = await api().post(BASE).auth(OPS.user, OPS.password).send(environmentBody({ id }));
    expect(first.body).toEqual({ status: { code: 0 }, path: `/environments/${id}` });
    const before = await countEnvironments();
    const second = await api()
      .post(BASE)
      .auth(OPS.user, OPS.password)
      .send(environmentBody({ id, username: 'other' }));
    expect(second.status).toBe(409);
    expect(second.body.status).toMatchObject({ code: 6, message: expect.stringContaining(id) });
    expect(await countEnvironments()).toBe(before);
    const [row] = await ctx.database.query<{ username: string }>('SELECT username FROM environment WHERE id = $1', [
      id,
    ]);
    expect(row?.username).toBe('default');
  });

  it('takes any 8-4-4-4-12 hex id, not only RFC 4122 variants (tenant ids come from elsewhere)', async () => {
    const id = '0a1b2c3d-0000-0000-0000-00000000abcd';
    const response = await api().post(BASE).auth(OPS.user, OPS.password).send(environmentBody({ id }));
    expect(response.body).toEqual({ status: { code: 0 }, path: `/environments/${id}` });
    await api().get(`${BASE}/${id}`).auth(OPS.user, OPS.password).expect(200);
  });

  it('updates only the fields sent (PUT is partial) and re-encrypts a new password', async () => {
    const id = randomUUID();
    await api().post(BASE).auth(OPS.user, OPS.password).send(environmentBody({ id })).expect(200);
    const [before] = await ctx.database.query<{ password_encrypted: string }>(
      'SELECT password_encrypted FROM environment WHERE id = $1',
      [id],
    );
    const response = await api()
      .put(`${BASE}/${id}`)
      .auth(OPS.user, OPS.password)
      .send({
        data: {
          remoteTimeout: 30,
          password: 'rotated-Pa55',
          configServers: [{ primaryAddress: 'cfg.example.com', primaryPort: 8888 }],
        },
      });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: { code: 0 }, path: `/environments/${id}` });
    const one = await api().get(`${BASE}/${id}`).auth(OPS.user, OPS.password);
    expect(one.body.data).toMatchObject({
      remoteTimeout: 30,
      localTimeout: 5,
      appName: 'Cloud',
      configServers: [{ primaryAddress: 'cfg.example.com', primaryPort: 8888, readOnly: false, locations: '/' }],
    });
    const [after] = await ctx.database.query<{ password_encrypted: string }>(
      'SELECT password_encrypted FROM environment WHERE id = $1',
      [id],
    );
    expect(after?.password_encrypted).not.toBe(before?.password_encrypted);
    expect(openPassword(after!.password_encrypted, id)).toBe('rotated-Pa55');
  });

  it('refuses changing the id through PUT', async () => {
    const id = randomUUID();
    await api().post(BASE).auth(OPS.user, OPS.password).send(environmentBody({ id })).expect(200);
    const response = await api()
      .put(`${BASE}/${id}`)
      .auth(OPS.user, OPS.password)
      .send({ data: { id: randomUUID() } });
    expect(response.status).toBe(400);
    expect(response.body.status.code).toBe(2);
  });

  it('answers 404 for unknown ids and 400 for ids that are not UUIDs', async () => {
    const unknown = randomUUID();
    for (const request of [
      api().get(`${BASE}/${unknown}`),
      api()
        .put(`${BASE}/${unknown}`)
        .send({ data: { appName: 'x' } }),
      api().delete(`${BASE}/${unknown}`),
    ]) {
      const response = await request.auth(OPS.user, OPS.password);
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ status: { code: 5, message: `Environment ${unknown} does not exist` } });
    }
    const malformed = await api().get(`${BASE}/not-a-uuid`).auth(OPS.user, OPS.password);
    expect(malformed.status).toBe(400);
    expect(malformed.body.status).toEqual({ code: 2, message: 'id: must be a UUID' });
  });

  it('refuses to delete an environment a contact center uses (409), then deletes it once free', async () => {
    const id = randomUUID();
    await api().post(BASE).auth(OPS.user, OPS.password).send(environmentBody({ id })).expect(200);
    const ccid = randomUUID();
    await api()
      .post('/environment/v3/contact-centers')
      .auth(OPS.user, OPS.password)
      .send({ data: { id: ccid, environmentId: id, domains: ['inuse'], auth: 'configServer' } })
      .expect(200);
    const refused = await api().delete(`${BASE}/${id}`).auth(OPS.user, OPS.password);
    expect(refused.status).toBe(409);
    expect(refused.body.status).toMatchObject({ code: 11, message: expect.stringContaining('contact center') });
    expect(await ctx.database.query('SELECT id FROM environment WHERE id = $1', [id])).toHaveLength(1);

    await api().delete(`/environment/v3/contact-centers/${ccid}`).auth(OPS.user, OPS.password).expect(200);
    const deleted = await api().delete(`${BASE}/${id}`).auth(OPS.user, OPS.password);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ status: { code: 0 } });
    await api().get(`${BASE}/${id}`).auth(OPS.user, OPS.password).expect(404);
  });
});

describe('environments: bad bodies are 4xx in the envelope and write nothing', () => {
  const cases: [string, unknown, RegExp][] = [
    [
      'wrong type (port as text)',
      environmentBody({ configServers: [{ primaryAddress: 'h', primaryPort: 'abc' }] }),
      /configServers\.0\.primaryPort/,
    ],
    [
      'port out of range',
      environmentBody({ configServers: [{ primaryAddress: 'h', primaryPort: 70000 }] }),
      /primaryPort/,
    ],
    ['missing required field', { data: { ...environmentBody().data, appName: undefined } }, /appName/],
    ['missing password', { data: { ...environmentBody().data, password: undefined } }, /password/],
    ['unknown field', environmentBody({ colour: 'blue' }), /unknown field\(s\): colour/],
    [
      'unknown field in a Configuration Server',
      environmentBody({ configServers: [{ primaryAddress: 'h', primaryPort: 1, x: 1 }] }),
      /unknown field/,
    ],
    ['empty configServers', environmentBody({ configServers: [] }), /at least one Configuration Server/],
    [
      'bad location',
      environmentBody({ configServers: [{ primaryAddress: 'h', primaryPort: 1, locations: 'USW1' }] }),
      /locations/,
    ],
    ['id not a UUID', environmentBody({ id: '42' }), /id: must be a UUID/],
    ['unknown traceMode', environmentBody({ traceMode: 'loud' }), /traceMode/],
    ['not in the data envelope', { username: 'x' }, /data/],
    ['tlsEnabled as a number', environmentBody({ tlsEnabled: 1 }), /tlsEnabled/],
  ];

  it.each(cases)('%s → 400 code 2', async (_name, body, message) => {
    const before = await countEnvironments();
    const response = await api()
      .post(BASE)
      .auth(OPS.user, OPS.password)
      .send(body as object);
    expect(response.status).toBe(400);
    expect(response.body.status.code).toBe(2);
    expect(response.body.status.message).toMatch(message);
    expect(Array.isArray(response.body.status.detail.errors)).toBe(true);
    expect(await countEnvironments()).toBe(before);
  });

  it('invalid JSON → 400 code 1', async () => {
    const response = await api()
      .post(BASE)
      .auth(OPS.user, OPS.password)
      .set('content-type', 'application/json')
      .send('{"data": {"username": ');
    expect(response.status).toBe(400);
    expect(response.body.status.code).toBe(1);
  });

  it('a 1 MB body → 413 code 7', async () => {
    const huge = JSON.stringify(environmentBody({ tenant: 'x'.repeat(1024 * 1024) }));
    const response = await api()
      .post(BASE)
      .auth(OPS.user, OPS.password)
      .set('content-type', 'application/json')
      .send(huge);
    expect(response.status).toBe(413);
    expect(response.body).toEqual({ status: { code: 7, message: expect.stringMatching(/too large/i) } });
  });

  it('a text/plain body → 415 code 8 in the envelope, and nothing is written', async () => {
    const before = await api().get(BASE).auth(OPS.user, OPS.password);
    expect(before.status).toBe(200);
    expect(Array.isArray(before.body.data)).toBe(true);
    const response = await api()
      .post(BASE)
      .auth(OPS.user, OPS.password)
      .set('content-type', 'text/plain')
      .send('hello');
    expect(response.status).toBe(415);
    expect(response.body).toEqual({ status: { code: 8, message: 'Unsupported Media Type: text/plain' } });
    const after = await api().get(BASE).auth(OPS.user, OPS.password);
    expect(after.body.data).toEqual(before.body.data);
  });
});

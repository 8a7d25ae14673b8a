import { randomUUID } from 'node:crypto';
import {
  environmentBody,
  EnvironmentTestContext,
  OPS,
  startEnvironmentApi,
} from '../../__tests__/environment-test-app';

const BASE = '/environment/v3/contact-centers';
let ctx: EnvironmentTestContext;
let environmentId: string;
const api = () => ctx.app.http();
const count = async (table: string) =>
  Number((await ctx.database.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n);

async function createContactCenter(domains: unknown, id = randomUUID()): Promise<string> {
  const response = await api()
    .post(BASE)
    .auth(OPS.user, OPS.password)
    .send({ data: { domains, environmentId, auth: 'configServer', id } });
  expect(response.status).toBe(200);
  return id;
}

beforeAll(async () => {
  ctx = await startEnvironmentApi();
  environmentId = randomUUID();
  await api()
    .post('/environment/v3/environments')
    .auth(OPS.user, OPS.password)
    .send(environmentBody({ id: environmentId }))
    .expect(200);
});
afterAll(async () => ctx?.close());

describe('contact centers', () => {
  it('creates one with the seed 001 body and answers its path; GET reflects it', async () => {
    const id = randomUUID();
    const response = await api()
      .post(BASE)
      .auth(OPS.user, OPS.password)
      .send({ data: { domains: ['T100', 'acme.example'], environmentId, auth: 'configServer', id } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: { code: 0 }, path: `/contact-centers/${id}` });

    const one = await api().get(`${BASE}/${id}`).auth(OPS.user, OPS.password);
    expect(one.body).toMatchObject({
      status: { code: 0 },
      data: { id, environmentId, domains: ['acme.example', 't100'], auth: 'configServer' },
    });
    const list = await api().get(BASE).auth(OPS.user, OPS.password);
    expect(list.body.data.find((cc: { id: string }) => cc.id === id)).toMatchObject({
      domains: ['acme.example', 't100'],
    });
    expect(
      await ctx.database.query(
        'SELECT domain FROM contact_center_domain WHERE contact_center_id = $1 ORDER BY domain',
        [id],
      ),
    ).toEqual([{ domain: 'acme.example' }, { domain: 't100' }]);
  });

  it('accepts domains as one string (as the seed placeholder may be filled) and generates an id when none is sent', async () => {
    const response = await api()
      .post(BASE)
      .auth(OPS.user, OPS.password)
      .send({ data: { domains: 'single-domain', environmentId, auth: 'configServer' } });
    expect(response.status).toBe(200);
    const id = (response.body.path as string).split('/')[2];
    const one = await api().get(`${BASE}/${id}`).auth(OPS.user, OPS.password);
    expect(one.body.data.domains).toEqual(['single-domain']);
  });

  it('a domain belongs to one contact center: 409, and nothing of the second one is written', async () => {
    await createContactCenter(['taken1']);
    const [contactCenters, domains] = [await count('contact_center'), await count('contact_center_domain')];
    const id = randomUUID();
    const response = await api()
      .post(BASE)
      .auth(OPS.user, OPS.password)
      .send({ data: { domains: ['fresh1', 'TAKEN1'], environmentId, auth: 'configServer', id } });
    expect(response.status).toBe(409);
    expect(response.body.status).toMatchObject({ code: 6, message: expect.stringContaining('taken1') });
    expect(await count('contact_center')).toBe(contactCenters);
    expect(await count('contact_center_domain')).toBe(domains);
    await api().get(`${BASE}/${id}`).auth(OPS.user, OPS.password).expect(404);
  });

  it('two concurrent creates claiming the same domain: exactly one wins, the other is 409 with nothing written', async () => {
    const ids = [randomUUID(), randomUUID()];
    const answers = await Promise.all(
      ids.map((id) =>
        api()
          .post(BASE)
          .auth(OPS.user, OPS.password)
          .send({
            data: { domains: ['race-domain', `own-${id.slice(0, 8)}`], environmentId, auth: 'configServer', id },
          }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const rows = await ctx.database.query<{ contact_center_id: string }>(
      'SELECT contact_center_id FROM contact_center_domain WHERE domain = $1',
      ['race-domain'],
    );
    expect(rows).toHaveLength(1);
    const loser = ids.find((id) => id !== rows[0]!.contact_center_id)!;
    expect(await ctx.database.query('SELECT 1 FROM contact_center WHERE id = $1', [loser])).toEqual([]);
    expect(
      await ctx.database.query('SELECT 1 FROM contact_center_domain WHERE contact_center_id = $1', [loser]),
    ).toEqual([]);
  });

  it('a duplicate id is 409', async () => {
    const id = await createContactCenter(['dup-a']);
    const response = await api()
      .post(BASE)
      .auth(OPS.user, OPS.password)
      .send({ data: { domains: ['dup-b'], environmentId, auth: 'configServer', id } });
    expect(response.status).toBe(409);
    expect(response.body.status.code).toBe(6);
    expect(await ctx.database.query('SELECT domain FROM contact_center_domain WHERE domain = $1', ['dup-b'])).toEqual(
      [],
    );
  });

  it('an unknown environment is 404 and writes nothing', async () => {
    const before = await count('contact_center');
    const response = await api()
      .post(BASE)
      .auth(OPS.user, OPS.password)
      .send({ data: { domains: ['orphan'], environmentId: randomUUID(), auth: 'configServer' } });
    expect(response.status).toBe(404);
    expect(response.body.status).toMatchObject({
      code: 5,
      message: expect.stringMatching(/^Environment .* does not exist$/),
    });
    expect(await count('contact_center')).toBe(before);
  });

  it.each([
    ['unknown auth value', { domains: ['a1'], auth: 'magic' }, /auth: must be one of configServer/],
    ['missing environmentId', { domains: ['a2'], environmentId: undefined }, /environmentId/],
    ['domain with a backslash', { domains: ['bad\\name'] }, /domain/],
    ['empty domain list', { domains: [] }, /at least one domain/],
    ['unknown field', { domains: ['a3'], colour: 'red' }, /unknown field\(s\): colour/],
    ['domains of the wrong type', { domains: 42 }, /domains/],
  ])('%s → 400 code 2', async (_name, fields, message) => {
    const before = await count('contact_center');
    const response = await api()
      .post(BASE)
      .auth(OPS.user, OPS.password)
      .send({ data: { environmentId, auth: 'configServer', ...fields } });
    expect(response.status).toBe(400);
    expect(response.body.status.code).toBe(2);
    expect(response.body.status.message).toMatch(message);
    expect(await count('contact_center')).toBe(before);
  });

  it('PUT replaces the domain set and auth; taking another contact center’s domain is 409 and changes nothing', async () => {
    const first = await createContactCenter(['put-a', 'put-b']);
    const second = await createContactCenter(['put-c']);
    const updated = await api()
      .put(`${BASE}/${first}`)
      .auth(OPS.user, OPS.password)
      .send({ data: { domains: ['put-b', 'put-d'], auth: 'saml' } });
    expect(updated.status).toBe(200);
    expect(updated.body).toEqual({ status: { code: 0 }, path: `/contact-centers/${first}` });
    const one = await api().get(`${BASE}/${first}`).auth(OPS.user, OPS.password);
    expect(one.body.data).toMatchObject({ domains: ['put-b', 'put-d'], auth: 'saml' });

    const conflict = await api()
      .put(`${BASE}/${second}`)
      .auth(OPS.user, OPS.password)
      .send({ data: { domains: ['put-c', 'put-d'], auth: 'oidc' } });
    expect(conflict.status).toBe(409);
    const unchanged = await api().get(`${BASE}/${second}`).auth(OPS.user, OPS.password);
    expect(unchanged.body.data).toMatchObject({ domains: ['put-c'], auth: 'configServer' });

    await api()
      .put(`${BASE}/${randomUUID()}`)
      .auth(OPS.user, OPS.password)
      .send({ data: { auth: 'saml' } })
      .expect(404);
  });

  it('DELETE removes the contact center with its domains and settings; unknown ids are 404', async () => {
    const id = await createContactCenter(['gone-soon']);
    await api()
      .post(`${BASE}/${id}/settings`)
      .auth(OPS.user, OPS.password)
      .send({ data: { location: '/', name: 'cors-origins', shared: 'true', value: 'https://gone.example' } })
      .expect(200);
    const response = await api().delete(`${BASE}/${id}`).auth(OPS.user, OPS.password);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: { code: 0 } });
    expect(await ctx.database.query('SELECT 1 FROM contact_center_domain WHERE contact_center_id = $1', [id])).toEqual(
      [],
    );
    expect(await ctx.database.query('SELECT 1 FROM contact_center_setting WHERE contact_center_id = $1', [id])).toEqual(
      [],
    );
    await api().get(`${BASE}/${id}`).auth(OPS.user, OPS.password).expect(404);
    await api().delete(`${BASE}/${id}`).auth(OPS.user, OPS.password).expect(404);
  });
});

describe('contact-center settings', () => {
  let id: string;
  beforeAll(async () => {
    id = await createContactCenter(['settings-cc']);
  });

  it('adds the seed 001 CORS setting ("shared":"true" as a string) and GET lists it under data.settings', async () => {
    const response = await api()
      .post(`${BASE}/${id}/settings`)
      .auth(OPS.user, OPS.password)
      .send({
        data: { location: '/', name: 'cors-origins', shared: 'true', value: 'https://a.example,https://b.example' },
      });
    expect(response.status).toBe(200);
    expect(response.body.status).toEqual({ code: 0 });
    const settings = await api().get(`${BASE}/${id}/settings`).auth(OPS.user, OPS.password);
    expect(settings.status).toBe(200);
    expect(settings.body.data.settings).toEqual([
      expect.objectContaining({
        name: 'cors-origins',
        location: '/',
        shared: true,
        value: 'https://a.example,https://b.example',
      }),
    ]);
  });

  it('upserts by name and location: the same pair replaces the value, another location adds a row', async () => {
    await api()
      .post(`${BASE}/${id}/settings`)
      .auth(OPS.user, OPS.password)
      .send({ data: { location: '/', name: 'cors-origins', shared: true, value: 'https://c.example' } })
      .expect(200);
    await api()
      .post(`${BASE}/${id}/settings`)
      .auth(OPS.user, OPS.password)
      .send({ data: { location: '/USW1', name: 'cors-origins', shared: false, value: 'https://d.example' } })
      .expect(200);
    const rows = await ctx.database.query(
      'SELECT location, shared, value FROM contact_center_setting WHERE contact_center_id = $1 ORDER BY location',
      [id],
    );
    expect(rows).toEqual([
      { location: '/', shared: true, value: 'https://c.example' },
      { location: '/USW1', shared: false, value: 'https://d.example' },
    ]);
  });

  it.each([
    [
      'a cors-origins value that is not a list of origins',
      { name: 'cors-origins', value: 'https://ok.example, not a url' },
      /not an http\(s\) origin: not a url/,
    ],
    ['shared as some other string', { name: 'x', value: 'v', shared: 'yes' }, /shared/],
    ['a bad location', { name: 'x', value: 'v', location: 'USW1' }, /location/],
    ['a missing value', { name: 'x' }, /value/],
    ['an unknown field', { name: 'x', value: 'v', extra: 1 }, /unknown field/],
  ])('%s → 400 code 2, nothing written', async (_name, fields, message) => {
    const before = await count('contact_center_setting');
    const response = await api()
      .post(`${BASE}/${id}/settings`)
      .auth(OPS.user, OPS.password)
      .send({ data: { location: '/', ...fields } });
    expect(response.status).toBe(400);
    expect(response.body.status.code).toBe(2);
    expect(response.body.status.message).toMatch(message);
    expect(await count('contact_center_setting')).toBe(before);
  });

  it('an unknown contact center is 404 for GET and POST', async () => {
    const unknown = randomUUID();
    await api().get(`${BASE}/${unknown}/settings`).auth(OPS.user, OPS.password).expect(404);
    const response = await api()
      .post(`${BASE}/${unknown}/settings`)
      .auth(OPS.user, OPS.password)
      .send({ data: { location: '/', name: 'x', value: 'v' } });
    expect(response.status).toBe(404);
    expect(response.body.status.code).toBe(5);
  });
});

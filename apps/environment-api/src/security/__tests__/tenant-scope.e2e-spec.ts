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
 * Reads and writes scoped to the caller's tenants: a service token whose client is bound to contact
 * centers sees and writes only those, a user token only its user's contact center, a token that is
 * neither a client's nor a contact-center user's none; the operator and unbound clients (the product's
 * GWS client) keep full rights.
 * The tokens are answered by a fake of auth-api's userinfo; the clients are real oauth_client rows.
 */
const CONTACT_CENTERS = '/environment/v3/contact-centers';
const ENVIRONMENTS = '/environment/v3/environments';
let ctx: EnvironmentTestContext;
let userInfo: FakeUserInfo;
let environmentId: string;
let own: string;
let foreign: string;
const api = () => ctx.app.http();
const bound = { authorization: 'Bearer bound-token' };
const unbound = { authorization: 'Bearer gws-token' };
const opsToken = { authorization: 'Bearer ops-token' };
const userToken = { authorization: 'Bearer user-token' };
const strayUser = { authorization: 'Bearer stray-user-token' };
let tokens: Record<string, Record<string, unknown>>;

async function insertClient(clientId: string, contactCenterIds: string[]): Promise<void> {
  await ctx.database.query(
    `INSERT INTO oauth_client (client_id, name, client_type, access_token_validity, refresh_token_validity,
       authorities, contact_center_ids)
     VALUES ($1, $1, 'CONFIDENTIAL', 3600, 3600, '{ROLE_INTERNAL_CLIENT}', $2)`,
    [clientId, contactCenterIds],
  );
}

async function createContactCenter(domain: string): Promise<string> {
  const id = randomUUID();
  await api()
    .post(CONTACT_CENTERS)
    .auth(OPS.user, OPS.password)
    .send({ data: { domains: [domain], environmentId, auth: 'configServer', id } })
    .expect(200);
  return id;
}

beforeAll(async () => {
  tokens = {
    'bound-token': { username: 'tenant-app', authorities: ['ROLE_INTERNAL_CLIENT'] },
    'gws-token': { username: 'external_api_client', authorities: ['ROLE_INTERNAL_CLIENT'] },
    'ops-token': { username: 'ops', authorities: ['ROLE_OPS', 'ROLE_INTERNAL_CLIENT'] },
    // A user of no contact center, not a client, whose directory grants the environment authority.
    'stray-user-token': { username: 'stray-user', authorities: ['ROLE_INTERNAL_CLIENT'] },
  };
  userInfo = await startFakeUserInfo(tokens);
  ctx = await startEnvironmentApi({ AUTH_API_URL: userInfo.url });
  environmentId = randomUUID();
  await api()
    .post(ENVIRONMENTS)
    .auth(OPS.user, OPS.password)
    .send(environmentBody({ id: environmentId }))
    .expect(200);
  own = await createContactCenter('own-cc');
  foreign = await createContactCenter('foreign-cc');
  // An agent of `own` whose directory grants the environment authority (the token names its contact center).
  tokens['user-token'] = {
    username: 'agent-1',
    authorities: ['ROLE_INTERNAL_CLIENT'],
    contactCenterId: own,
    loginName: 'agent1',
  };
  await insertClient('tenant-app', [own]);
  await insertClient('external_api_client', []);
});
afterAll(async () => {
  await ctx?.close();
  await userInfo?.close();
});

const forbidden = (response: { status: number; body: { status?: { code?: number } } }) => {
  expect(response.status).toBe(403);
  expect(response.body.status?.code).toBe(4);
};

describe('a client bound to contact centers', () => {
  it('writes its own contact center and its settings (cors-origins included)', async () => {
    await api()
      .put(`${CONTACT_CENTERS}/${own}`)
      .set(bound)
      .send({ data: { domains: ['own-cc', 'own2'] } })
      .expect(200);
    const setting = await api()
      .post(`${CONTACT_CENTERS}/${own}/settings`)
      .set(bound)
      .send({ data: { location: '/', name: 'cors-origins', shared: 'true', value: 'https://own.example' } });
    expect(setting.status).toBe(200);
  });

  it('is 403 (code 4) on another contact center, and nothing changes', async () => {
    forbidden(
      await api()
        .put(`${CONTACT_CENTERS}/${foreign}`)
        .set(bound)
        .send({ data: { domains: ['stolen'] } }),
    );
    forbidden(
      await api()
        .post(`${CONTACT_CENTERS}/${foreign}/settings`)
        .set(bound)
        .send({ data: { location: '/', name: 'cors-origins', shared: 'true', value: 'https://evil.example' } }),
    );
    forbidden(await api().delete(`${CONTACT_CENTERS}/${foreign}`).set(bound));
    // Its identity provider (SSO) too: checked before the body is read.
    forbidden(await api().put(`${CONTACT_CENTERS}/${foreign}/identity-provider`).set(bound).send({ data: {} }));
    forbidden(await api().delete(`${CONTACT_CENTERS}/${foreign}/identity-provider`).set(bound));
    expect(
      await ctx.database.query('SELECT domain FROM contact_center_domain WHERE contact_center_id = $1', [foreign]),
    ).toEqual([{ domain: 'foreign-cc' }]);
    expect(
      await ctx.database.query('SELECT name FROM contact_center_setting WHERE contact_center_id = $1', [foreign]),
    ).toEqual([]);
  });

  it('is 403 on global writes: environments and creating contact centers; environments stay readable', async () => {
    forbidden(
      await api()
        .post(ENVIRONMENTS)
        .set(bound)
        .send(environmentBody({ id: randomUUID() })),
    );
    forbidden(
      await api()
        .put(`${ENVIRONMENTS}/${environmentId}`)
        .set(bound)
        .send(environmentBody({ id: environmentId })),
    );
    forbidden(await api().delete(`${ENVIRONMENTS}/${environmentId}`).set(bound));
    forbidden(
      await api()
        .post(CONTACT_CENTERS)
        .set(bound)
        .send({ data: { domains: ['new-cc'], environmentId, auth: 'configServer', id: randomUUID() } }),
    );
    await api().get(ENVIRONMENTS).set(bound).expect(200);
  });

  it('sees only its contact centers: the list, and 404 (code 5) for another one, its settings and its IdP', async () => {
    await expectReach(bound, [own]);
  });
});

const notFound = (response: { status: number; body: { status?: { code?: number; message?: string } } }) => {
  expect(response.status).toBe(404);
  expect(response.body.status?.code).toBe(5);
  // The answer an unknown id gets: the caller learns nothing about other tenants' ids.
  expect(response.body.status?.message).toMatch(/does not exist/);
};

/** The caller lists exactly `visible` (among own and foreign), reads those and gets 404 for the rest. */
async function expectReach(headers: Record<string, string>, visible: string[]): Promise<void> {
  const listed = await api().get(CONTACT_CENTERS).set(headers).expect(200);
  const ids = (listed.body as { data: { id: string }[] }).data.map((contactCenter) => contactCenter.id);
  expect(ids.filter((id) => id === own || id === foreign).sort()).toEqual([...visible].sort());
  for (const id of [own, foreign]) {
    if (visible.includes(id)) {
      await api().get(`${CONTACT_CENTERS}/${id}`).set(headers).expect(200);
      await api().get(`${CONTACT_CENTERS}/${id}/settings`).set(headers).expect(200);
    } else {
      notFound(await api().get(`${CONTACT_CENTERS}/${id}`).set(headers));
      notFound(await api().get(`${CONTACT_CENTERS}/${id}/settings`).set(headers));
      notFound(await api().get(`${CONTACT_CENTERS}/${id}/identity-provider`).set(headers));
    }
  }
}

describe('a user token (an agent whose directory grants the environment authority)', () => {
  it('reads and writes its own contact center only', async () => {
    await expectReach(userToken, [own]);
    await api()
      .post(`${CONTACT_CENTERS}/${own}/settings`)
      .set(userToken)
      .send({ data: { location: '/', name: 'brand', shared: 'false', value: 'blue' } })
      .expect(200);
    forbidden(
      await api()
        .put(`${CONTACT_CENTERS}/${foreign}`)
        .set(userToken)
        .send({ data: { domains: ['taken-by-agent'] } }),
    );
    forbidden(
      await api()
        .post(CONTACT_CENTERS)
        .set(userToken)
        .send({ data: { domains: ['agent-cc'], environmentId, auth: 'configServer', id: randomUUID() } }),
    );
    forbidden(await api().delete(`${ENVIRONMENTS}/${environmentId}`).set(userToken));
    expect(
      await ctx.database.query('SELECT domain FROM contact_center_domain WHERE contact_center_id = $1', [foreign]),
    ).toEqual([{ domain: 'foreign-cc' }]);
    expect(await ctx.database.query("SELECT 1 FROM contact_center_domain WHERE domain = 'agent-cc'")).toEqual([]);
  });

  it('a token that is neither a client nor a contact-center user reaches nothing', async () => {
    await expectReach(strayUser, []);
    forbidden(
      await api()
        .put(`${CONTACT_CENTERS}/${own}`)
        .set(strayUser)
        .send({ data: { domains: ['own-cc'] } }),
    );
    forbidden(
      await api()
        .post(ENVIRONMENTS)
        .set(strayUser)
        .send(environmentBody({ id: randomUUID() })),
    );
  });
});

describe('full rights as before', () => {
  it('an unbound client and the operator see every contact center', async () => {
    await expectReach(unbound, [own, foreign]);
    await expectReach(opsToken, [own, foreign]);
  });

  it('an unbound client (the GWS client) and a ROLE_OPS token write any contact center', async () => {
    await api()
      .put(`${CONTACT_CENTERS}/${foreign}`)
      .set(unbound)
      .send({ data: { domains: ['foreign-cc'] } })
      .expect(200);
    await api()
      .put(`${CONTACT_CENTERS}/${foreign}`)
      .set(opsToken)
      .send({ data: { domains: ['foreign-cc'] } })
      .expect(200);
    const created = await api()
      .post(CONTACT_CENTERS)
      .set(unbound)
      .send({ data: { domains: ['gws-cc'], environmentId, auth: 'configServer', id: randomUUID() } });
    expect(created.status).toBe(200);
  });
});

import supertest from 'supertest';
import { AuthApiTestContext, createClient, OPS, startAuthApi } from '../../testing/auth-api-test-app';
import { referenceFrom, seedTenant, seedUser } from '../../sign-in/__tests__/browser-fixture';

const CALLBACK = 'https://app.example.com/callback';
const PASSWORD = 'Correct-Horse-42';
const SECRET = 'app-secret-value-1';

/** Issue 14 "Sessions outlive the account": authorize and code redemption re-check the user. */
describe('browser sessions end with the account (real PostgreSQL and Redis)', () => {
  let ctx: AuthApiTestContext;
  let contactCenterId: string;
  let otherContactCenterId: string;

  beforeAll(async () => {
    ctx = await startAuthApi();
    contactCenterId = await seedTenant(ctx.database, 't100');
    otherContactCenterId = await seedTenant(ctx.database, 't200');
    await createClient(ctx.app, {
      client_id: 'app',
      client_secret: SECRET,
      requirePkce: false,
      authorizedGrantTypes: ['authorization_code', 'refresh_token'],
      redirectURIs: [CALLBACK],
    });
    await createClient(ctx.app, {
      client_id: 'other-tenant-app',
      client_secret: SECRET,
      contactCenterIds: [otherContactCenterId],
      requirePkce: false,
      authorizedGrantTypes: ['authorization_code'],
      redirectURIs: [CALLBACK],
    });
  });
  afterAll(() => ctx.close());

  const authorize = (agent: supertest.Agent, clientId = 'app') =>
    agent.get(
      `/auth/v3/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, state: 's' })}`,
    );
  const redeem = (code: string) =>
    ctx.app
      .http()
      .post('/auth/v3/oauth/token')
      .auth('app', SECRET)
      .type('form')
      .send({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK });
  const codeOf = (response: supertest.Response) => new URL(response.headers.location!).searchParams.get('code');
  const userId = async (username: string) =>
    ((await ctx.database.query('SELECT id FROM local_user WHERE username = $1', [username])) as { id: string }[])[0]!
      .id;

  /** A browser signed in as t100\<username> (the first authorization's code is returned too). */
  async function signedInBrowser(username: string): Promise<{ agent: supertest.Agent; code: string }> {
    await seedUser(ctx.app, contactCenterId, username, PASSWORD);
    const agent = supertest.agent(ctx.app.service.url);
    const reference = referenceFrom((await authorize(agent)).headers.location!);
    const context = await agent.get(`/auth/v3/sign-in/context?request=${reference}`);
    const signIn = await agent
      .post('/auth/v3/sign-in')
      .type('form')
      .send({
        request: reference,
        csrf: context.body.data.csrfToken,
        username: `t100\\${username}`,
        password: PASSWORD,
      });
    const code = codeOf(signIn);
    expect(code).toBeTruthy();
    expect(new URL(signIn.headers.location!).searchParams.get('iss')).toBe('http://localhost:8080/auth/v3');
    // The session alone now yields codes.
    expect(codeOf(await authorize(agent))).toBeTruthy();
    return { agent, code: code! };
  }

  const sessionCount = async () => (await ctx.redis.keys(`${ctx.prefix}session:*`)).length;

  it('a user disabled in the directory (no sign-out ran) gets no code: the session ends', async () => {
    const { agent, code } = await signedInBrowser('disabled-in-directory');
    const sessions = await sessionCount();
    await ctx.database.query(`UPDATE local_user SET enabled = false WHERE username = 'disabled-in-directory'`);
    const response = await authorize(agent);
    expect(response.status).toBe(302);
    expect(response.headers.location).toMatch(/^\/ui\/auth\/sign-in\.html\?request=/);
    expect(await sessionCount()).toBe(sessions - 1);
    // Nor does a code minted before the change buy tokens.
    const redeemed = await redeem(code);
    expect(redeemed.status).toBe(400);
    expect(redeemed.body.error).toBe('invalid_grant');
  });

  it.each([
    ['disabled through the ops API', { enabled: false }],
    ['given a new password through the ops API', { password: 'Reset-By-Ops-42' }],
  ])('a user %s gets no code, and an unredeemed code is refused', async (_label, data) => {
    const name = `ops-${Object.keys(data)[0]}`;
    const { agent, code } = await signedInBrowser(name);
    await ctx.app
      .http()
      .put(`/auth/v3/ops/users/${await userId(name)}`)
      .auth(OPS.username, OPS.password)
      .send({ data })
      .expect(200);
    expect((await authorize(agent)).headers.location).toMatch(/^\/ui\/auth\/sign-in\.html/);
    expect((await redeem(code)).status).toBe(400);
  });

  it('a deleted user gets no code', async () => {
    const { agent, code } = await signedInBrowser('deleted-user');
    await ctx.app
      .http()
      .delete(`/auth/v3/ops/users/${await userId('deleted-user')}`)
      .auth(OPS.username, OPS.password)
      .expect(200);
    expect((await authorize(agent)).headers.location).toMatch(/^\/ui\/auth\/sign-in\.html/);
    expect((await redeem(code)).status).toBe(400);
  });

  it('a session gets no code for a client bound to other contact centers (tenant binding)', async () => {
    const { agent } = await signedInBrowser('tenant-user');
    const response = await authorize(agent, 'other-tenant-app');
    const location = new URL(response.headers.location!);
    expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
    expect(location.searchParams.get('error')).toBe('access_denied');
    // RFC 9207: the issuer comes with every authorization response.
    expect(location.searchParams.get('iss')).toBe('http://localhost:8080/auth/v3');
    expect(location.searchParams.get('code')).toBeNull();
  });
});

import { AuthApiTestContext, createClient, startAuthApi } from '../../testing/auth-api-test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** OPAQUE_TOKEN_FORMAT=uuid: the product's token shape, for consumers that expect it. */
describe('OPAQUE_TOKEN_FORMAT=uuid (real PostgreSQL and Redis)', () => {
  let ctx: AuthApiTestContext;

  beforeAll(async () => {
    ctx = await startAuthApi({ OPAQUE_TOKEN_FORMAT: 'uuid' });
    await createClient(ctx.app, {
      client_id: 'app',
      client_secret: 'app-secret-value-1',
      authorizedGrantTypes: ['password', 'refresh_token'],
    });
  });
  afterAll(() => ctx.close());

  it('issues UUIDv4 access and refresh tokens that work like the default ones', async () => {
    const login = await ctx.app
      .http()
      .post('/auth/v3/oauth/token')
      .auth('app', 'app-secret-value-1')
      .type('form')
      .send({ grant_type: 'password', username: 'ops', password: 'ops' });
    expect(login.body.access_token).toMatch(UUID);
    expect(login.body.refresh_token).toMatch(UUID);
    const userinfo = await ctx.app
      .http()
      .get('/auth/v3/userinfo')
      .set('Authorization', `Bearer ${login.body.access_token}`);
    expect(userinfo.status).toBe(200);
    const refreshed = await ctx.app
      .http()
      .post('/auth/v3/oauth/token')
      .auth('app', 'app-secret-value-1')
      .type('form')
      .send({ grant_type: 'refresh_token', refresh_token: login.body.refresh_token });
    expect(refreshed.body.refresh_token).toMatch(UUID);
  });
});

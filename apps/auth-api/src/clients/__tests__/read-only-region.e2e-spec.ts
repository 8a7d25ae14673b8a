import { createTestApp } from '@cxauth/testing';
import { authApiConfigSchema } from '../../auth-api.config';
import { authApiService } from '../../auth-api.service';
import { AuthApiTestContext, createClient, OPS, startAuthApi } from '../../testing/auth-api-test-app';

/**
 * auth-api in a read-only region (issue 18): the same rule and answer as environment-api for writes of
 * clients, users, signing keys and passwords; tokens, refresh and sign-in keep working; FORCE_WRITABLE overrides.
 */
describe('auth-api in a read-only region', () => {
  let ctx: AuthApiTestContext;

  beforeAll(async () => {
    ctx = await startAuthApi();
    // Made while the region is still writable (no data-center record yet).
    await createClient(ctx.app, {
      client_id: 'app',
      client_secret: 'app-secret',
      authorizedGrantTypes: ['password', 'refresh_token', 'client_credentials'],
    });
    await ctx.app.close();
    await ctx.database.query(
      `INSERT INTO data_center (location, entry_point, read_only) VALUES
        ('/euw1', 'https://gauth.euw1.example.com', true), ('/usw1', 'https://gauth.usw1.example.com', false)`,
    );
    ctx.app = await createTestApp(authApiConfigSchema, authApiService, { ...ctx.env, LOCATION: '/EUW1' });
  });
  afterAll(async () => {
    await ctx.close();
  });

  const refusal = {
    status: {
      code: 10,
      message: 'This region (/euw1) is read-only; send writes to https://gauth.usw1.example.com (data center /usw1)',
      detail: { location: '/euw1', writableEntryPoint: 'https://gauth.usw1.example.com', writableLocation: '/usw1' },
    },
  };

  it('refuses client, user and signing-key writes with 403 code 10 and writes nothing', async () => {
    const clients = await ctx.database.query<{ count: string }>('SELECT count(*) FROM oauth_client');
    const create = await ctx.app
      .http()
      .post('/auth/v3/ops/clients')
      .auth(OPS.username, OPS.password)
      .send({
        data: {
          client_id: 'new',
          client_secret: 'new-secret-new-secret',
          authorizedGrantTypes: ['client_credentials'],
        },
      });
    expect(create.status).toBe(403);
    expect(create.body).toEqual(refusal);
    expect(await ctx.database.query('SELECT count(*) FROM oauth_client')).toEqual(clients);

    const remove = await ctx.app.http().delete('/auth/v3/ops/clients/app').auth(OPS.username, OPS.password);
    expect(remove.status).toBe(403);
    const user = await ctx.app
      .http()
      .post('/auth/v3/ops/users')
      .auth(OPS.username, OPS.password)
      .send({
        data: { contactCenterId: '00000000-0000-4000-8000-000000000000', username: 'a', password: 'Correct-Horse-42' },
      });
    expect(user.status).toBe(403);
    expect(user.body.status.code).toBe(10);
    const rotate = await ctx.app.http().post('/auth/v3/ops/signing-keys/rotate').auth(OPS.username, OPS.password);
    expect([rotate.status, rotate.body.status?.code]).toEqual([403, 10]);

    // Reads still work.
    expect((await ctx.app.http().get('/auth/v3/ops/clients').auth(OPS.username, OPS.password)).status).toBe(200);
  });

  it('refuses a password change, by the API and by the change-password form, with the same 403 code 10', async () => {
    const login = await ctx.app
      .http()
      .post('/auth/v3/oauth/token')
      .auth('app', 'app-secret')
      .type('form')
      .send({ grant_type: 'password', username: 'ops', password: 'ops' });
    expect(login.status).toBe(200);
    const api = await ctx.app
      .http()
      .post('/auth/v3/change-password')
      .set('Authorization', `Bearer ${login.body.access_token}`)
      .send({ data: { oldPassword: 'ops', newPassword: 'Correct-Horse-42' } });
    expect(api.status).toBe(403);
    expect(api.body).toEqual(refusal);
    const form = await ctx.app.http().post('/auth/v3/sign-in/change-password').type('form').send({
      username: 'acme\\agent',
      oldPassword: 'old',
      newPassword: 'Correct-Horse-42',
      confirmPassword: 'Correct-Horse-42',
      request: 'any',
      csrf: 'any',
    });
    expect(form.status).toBe(403);
    expect(form.body).toEqual(refusal);
  });

  it('still issues, refreshes and validates tokens', async () => {
    const token = (form: Record<string, string>) =>
      ctx.app.http().post('/auth/v3/oauth/token').auth('app', 'app-secret').type('form').send(form);
    const login = await token({ grant_type: 'password', username: 'ops', password: 'ops' });
    expect(login.status).toBe(200);
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: login.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect((await token({ grant_type: 'client_credentials' })).status).toBe(200);
    const userinfo = await ctx.app
      .http()
      .get('/auth/v3/userinfo')
      .set('Authorization', `Bearer ${refreshed.body.access_token}`);
    expect(userinfo.status).toBe(200);
  });

  it('takes the writes with FORCE_WRITABLE=true', async () => {
    const forced = await createTestApp(authApiConfigSchema, authApiService, {
      ...ctx.env,
      LOCATION: '/EUW1',
      FORCE_WRITABLE: 'true',
    });
    try {
      await createClient(forced, {
        client_id: 'forced',
        client_secret: 'forced-secret',
        authorizedGrantTypes: ['client_credentials'],
      });
      // The form is taken (and answers as it would anywhere: this reference is unknown).
      const form = await forced
        .http()
        .post('/auth/v3/sign-in/change-password')
        .type('form')
        .send({ username: 'acme\\agent', oldPassword: 'old', newPassword: 'n', confirmPassword: 'n', request: 'x' });
      expect(form.status).toBe(302);
    } finally {
      await forced.close();
    }
  });
});

import { AuthApiTestContext, createClient, OPS, startAuthApi } from '../../testing/auth-api-test-app';

/** Issue 14: a NUL byte in a client id or user name answered an unauthenticated 500 and logged the SQL parameters. */
describe('NUL bytes in requests (real PostgreSQL and Redis)', () => {
  let ctx: AuthApiTestContext;
  const http = () => ctx.app.http();

  beforeAll(async () => {
    ctx = await startAuthApi({ LOG_LEVEL: 'info', LOG_REQUESTS: 'all' });
    await createClient(ctx.app, {
      client_id: 'app',
      client_secret: 'app-secret-value-1',
      authorizedGrantTypes: ['password', 'client_credentials'],
    });
  });
  afterAll(() => ctx.close());

  it.each([
    ['client_id in the form', 'grant_type=client_credentials&client_id=a%00b&client_secret=x'],
    ['client_id alone (public client lookup)', 'grant_type=client_credentials&client_id=%00'],
    ['user name', 'grant_type=password&client_id=app&client_secret=app-secret-value-1&username=ops%00&password=x'],
    ['tenant', 'grant_type=password&client_id=app&client_secret=app-secret-value-1&username=u&tenant=t%00&password=x'],
  ])('a NUL byte in the %s is 400 invalid_request', async (_label, form) => {
    const response = await http().post('/auth/v3/oauth/token').type('form').send(form);
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_request');
  });

  it('a NUL byte in Basic credentials is refused as bad credentials, never 500', async () => {
    const basic = (value: string) => `Basic ${Buffer.from(value).toString('base64')}`;
    const token = await http()
      .post('/auth/v3/oauth/token')
      .set('Authorization', basic('a\u0000b:secret'))
      .type('form')
      .send({ grant_type: 'client_credentials' });
    expect(token.status).toBe(401);
    expect(token.body.error).toBe('invalid_client');
    const ops = await http().get('/auth/v3/ops/clients').set('Authorization', basic('ops\u0000:ops'));
    expect(ops.status).toBe(401);
  });

  it('a NUL byte in a JSON body or a query is 400 in the envelope', async () => {
    const json = await http()
      .post('/auth/v3/ops/clients')
      .auth(OPS.username, OPS.password)
      .set('Content-Type', 'application/json')
      .send('{"data":{"client_id":"x\\u0000y","authorizedGrantTypes":["password"]}}');
    expect(json.status).toBe(400);
    expect(json.body.status.code).toBe(1);
    const query = await http().get('/auth/v3/ops/clients/a%00b').auth(OPS.username, OPS.password);
    expect(query.status).toBe(400);
    expect(query.body.status.code).toBe(1);
  });

  it('never logs SQL parameters', () => {
    const logs = ctx.app.logs.join('\n');
    expect(logs).not.toContain('"parameters"');
    expect(logs).not.toMatch(/unhandled error/);
  });
});

import {
  OPS_BASIC,
  seedContactCenter,
  SeededContactCenter,
  startUsersApp,
  UsersTestContext,
} from './users-test-fixture';

/** The directories seen from the wire: password grant with `tenant\user`, then /userinfo. */
describe('password grant and userinfo for directory users (real PostgreSQL and Redis)', () => {
  let ctx: UsersTestContext;
  let cc: SeededContactCenter;
  let secret: string;

  const http = () => ctx.app.http();
  const grant = (form: Record<string, string>) =>
    http()
      .post('/auth/v3/oauth/token')
      .auth('gws_client', secret)
      .type('form')
      .send({ grant_type: 'password', ...form });

  beforeAll(async () => {
    ctx = await startUsersApp();
    cc = await seedContactCenter(ctx.database, ['t100']);
    const client = await http()
      .post('/auth/v3/ops/clients')
      .set('Authorization', OPS_BASIC)
      .send({
        data: { client_id: 'gws_client', client_secret: 'gws-client-secret-1', authorizedGrantTypes: ['password'] },
      });
    secret = client.body.data.client_secret;
    const user = await http()
      .post('/auth/v3/ops/users')
      .set('Authorization', OPS_BASIC)
      .send({
        data: {
          contactCenterId: cc.contactCenterId,
          username: 'Agent1',
          password: 'correct horse battery',
          firstName: 'Ann',
          authorities: ['ROLE_AGENT'],
          properties: { team: 'blue' },
        },
      });
    expect(user.status).toBe(200);
  });

  afterAll(() => ctx.close());

  it('issues a token for t100\\agent1 and /userinfo answers its CloudUserDetails', async () => {
    const token = await grant({ username: 'T100\\agent1', password: 'correct horse battery' });
    expect(token.status).toBe(200);
    expect(token.body.token_type).toBe('bearer');
    const userinfo = await http().get('/auth/v3/userinfo').set('Authorization', `Bearer ${token.body.access_token}`);
    expect(userinfo.status).toBe(200);
    expect(userinfo.body).toEqual({
      username: `${cc.contactCenterId}\\agent1`,
      authorities: ['ROLE_AGENT'],
      cmeUserName: 'Agent1',
      loginName: 'Agent1',
      contactCenterId: cc.contactCenterId,
      environmentId: cc.environmentId,
      properties: { team: 'blue', firstName: 'Ann' },
    });
  });

  it('accepts the tenant as a separate form field', async () => {
    const token = await grant({ username: 'agent1', tenant: 't100', password: 'correct horse battery' });
    expect(token.status).toBe(200);
    const userinfo = await http().get('/auth/v3/userinfo').set('Authorization', `Bearer ${token.body.access_token}`);
    expect(userinfo.body.contactCenterId).toBe(cc.contactCenterId);
    // Without the field, a bare user name is not a local user.
    expect((await grant({ username: 'agent1', password: 'correct horse battery' })).status).toBe(400);
  });

  it('answers the same invalid_grant for a wrong password, an unknown user and an unknown tenant', async () => {
    const answers = await Promise.all([
      grant({ username: 't100\\agent1', password: 'wrong password!' }),
      grant({ username: 't100\\nobody', password: 'wrong password!' }),
      grant({ username: 't999\\agent1', password: 'wrong password!' }),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe('invalid_grant');
    }
    expect(new Set(answers.map((answer) => JSON.stringify(answer.body))).size).toBe(1);
  });

  it('gives the ops user ROLE_OPS and ROLE_INTERNAL_CLIENT on /userinfo', async () => {
    const token = await grant({ username: 'ops', password: 'ops' });
    const userinfo = await http().get('/auth/v3/userinfo').set('Authorization', `Bearer ${token.body.access_token}`);
    expect(userinfo.body).toEqual({
      username: 'ops',
      authorities: ['ROLE_OPS', 'ROLE_INTERNAL_CLIENT'],
      properties: {},
    });
  });
});

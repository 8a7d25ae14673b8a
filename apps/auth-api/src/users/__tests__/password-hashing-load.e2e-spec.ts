import { Argon2Gate } from '../../crypto/argon2-gate';
import { OPS_BASIC, seedContactCenter, startUsersApp, UsersTestContext } from './users-test-fixture';

const TOKEN = '/auth/v3/oauth/token';

// Real argon2id, PostgreSQL and Redis: argon2 and JWT signatures share libuv's thread pool.
describe('a burst of password grants and JWT issuance (PASSWORD_HASH_CONCURRENCY=1)', () => {
  let ctx: UsersTestContext;
  let gate: Argon2Gate;
  let jwtSecret: string;
  const http = () => ctx.app.http();

  beforeAll(async () => {
    // The 32 logins are of one account: with the default lockout (10) only 10 of its checks would run at
    // once (the throttle's turns), the rest waiting before the gate; room for all of them reaches the gate.
    ctx = await startUsersApp({ PASSWORD_HASH_CONCURRENCY: '1', LOGIN_LOCKOUT_FAILURES: '100' });
    gate = ctx.app.service.app.get(Argon2Gate);
    const cc = await seedContactCenter(ctx.database, ['t100']);
    const client = await http()
      .post('/auth/v3/ops/clients')
      .set('Authorization', OPS_BASIC)
      .send({
        data: { client_id: 'jwt_client', tokenFormat: 'jwt', authorizedGrantTypes: ['password', 'client_credentials'] },
      });
    expect(client.status).toBe(200);
    jwtSecret = client.body.data.client_secret;
    const user = await http()
      .post('/auth/v3/ops/users')
      .set('Authorization', OPS_BASIC)
      .send({ data: { contactCenterId: cc.contactCenterId, username: 'agent', password: 'agent password 1' } });
    expect(user.status).toBe(200);
    // The client's secret is verified with argon2 once, then remembered.
    expect(
      (await http().post(TOKEN).auth('jwt_client', jwtSecret).type('form').send({ grant_type: 'client_credentials' }))
        .status,
    ).toBe(200);
  });
  afterAll(() => ctx.close());

  it('signs a JWT at once while the logins wait their turn at the gate, and every login succeeds', async () => {
    const logins = Array.from(
      { length: 32 },
      () =>
        http()
          .post(TOKEN)
          .auth('jwt_client', jwtSecret)
          .type('form')
          .send({ grant_type: 'password', username: 't100\\agent', password: 'agent password 1' })
          .then((response) => response), // supertest sends on then()
    );
    const deadline = Date.now() + 5_000;
    while (gate.load.active + gate.load.waiting < 16) {
      if (Date.now() > deadline) throw new Error(`logins did not reach argon2: ${JSON.stringify(gate.load)}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(gate.load.active).toBe(1);

    const jwt = await http()
      .post(TOKEN)
      .auth('jwt_client', jwtSecret)
      .type('form')
      .send({ grant_type: 'client_credentials' });
    const stillWaiting = gate.load.waiting;

    expect(jwt.status).toBe(200);
    expect(jwt.body.access_token.split('.')).toHaveLength(3);
    // The token came back while most logins were still queued (each hash takes ~20 ms). Unbounded,
    // the signature waited behind every hash already in the pool.
    expect(stillWaiting).toBeGreaterThanOrEqual(8);
    expect((await Promise.all(logins)).map((response) => response.status)).toEqual(Array(32).fill(200));
    expect(gate.load).toEqual({ active: 0, waiting: 0 });
  });
});

import { createTestApp, createTestStorage, TestApp, TestDatabase } from '@cxauth/testing';
import { authApiConfigSchema } from '../../auth-api.config';
import { authApiService } from '../../auth-api.service';
import { createClient, OPS } from '../../testing/auth-api-test-app';
import { seedContactCenter } from '../../users/__tests__/users-test-fixture';

const PASSWORD = 'replica agent 123';

/** Two auth-api replicas on one PostgreSQL database and one real Redis: a brute force spread over both. */
describe('brute-force lockout across two auth-api replicas (real Redis)', () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let secret: string;

  beforeAll(async () => {
    const storage = await createTestStorage();
    database = storage.database;
    // Production defaults (10 failures lock for 15 minutes) except the progressive delay, to keep the test short.
    const env = { ...storage.env, LOGIN_THROTTLE_DELAY_MS: '0' };
    a = await createTestApp(authApiConfigSchema, authApiService, env);
    b = await createTestApp(authApiConfigSchema, authApiService, env);
    const cc = await seedContactCenter(database, ['rep']);
    await a
      .http()
      .post('/auth/v3/ops/users')
      .auth(OPS.username, OPS.password)
      .send({ data: { contactCenterId: cc.contactCenterId, username: 'agent', password: PASSWORD } })
      .expect(200);
    secret = (
      await createClient(a, {
        client_id: 'rep_client',
        client_secret: 'rep-secret-1',
        authorizedGrantTypes: ['password'],
      })
    ).client_secret as string;
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  const grant = (app: TestApp, username: string, password: string) =>
    app
      .http()
      .post('/auth/v3/oauth/token')
      .auth('rep_client', secret)
      .type('form')
      .send({ grant_type: 'password', username, password });

  it('failures on both replicas add up: the 10th locks the account on both, and an unlock on one frees both', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1)
      statuses.push((await grant(i % 2 === 0 ? a : b, 'rep\\agent', `wrong ${i}`)).status);
    expect(statuses).toEqual(Array(10).fill(400));
    for (const replica of [a, b]) {
      const locked = await grant(replica, 'rep\\agent', PASSWORD);
      expect(locked.status).toBe(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
    }
    await a
      .http()
      .delete('/auth/v3/ops/lockouts')
      .query({ user: 'rep\\agent' })
      .auth(OPS.username, OPS.password)
      .expect(200);
    expect((await grant(b, 'rep\\agent', PASSWORD)).status).toBe(200);
  });

  const unlock = () =>
    a.http().delete('/auth/v3/ops/lockouts').query({ user: 'rep\\agent' }).auth(OPS.username, OPS.password).expect(200);

  const burst = async (replicas: TestApp[], size: number, password: (i: number) => string) => {
    const answers = await Promise.all(
      Array.from({ length: size }, (_, i) => grant(replicas[i % replicas.length]!, 'rep\\agent', password(i))),
    );
    const count = (status: number) => answers.filter((response) => response.status === status).length;
    return { checked: count(400), refused: count(429), granted: count(200) };
  };

  it('a parallel burst of 30 wrong passwords on one replica is checked exactly up to the lockout', async () => {
    await unlock();
    const { checked, refused } = await burst([a], 30, (i) => `burst ${i}`);
    // At most as many checks of one account run at once as it has failures left before the lockout.
    expect({ checked, refused }).toEqual({ checked: 10, refused: 20 });
    expect((await grant(a, 'rep\\agent', PASSWORD)).status).toBe(429);
  });

  it('over both replicas, each replica stops at the lockout: at most twice the limit is checked, and both end locked', async () => {
    await unlock();
    const { checked, refused } = await burst([a, b], 30, (i) => `burst ${i}`);
    expect(checked + refused).toBe(30);
    expect(checked).toBeGreaterThanOrEqual(10);
    expect(checked).toBeLessThanOrEqual(20);
    for (const replica of [a, b]) expect((await grant(replica, 'rep\\agent', PASSWORD)).status).toBe(429);
    process.stdout.write(`parallel burst of 30 over two replicas: ${checked} checked, ${refused} refused unchecked\n`);
  });

  it('a parallel burst of 32 good logins of one account is granted in full (turns wait, they do not refuse)', async () => {
    await unlock();
    const { granted } = await burst([a], 32, () => PASSWORD);
    expect(granted).toBe(32);
  });
});

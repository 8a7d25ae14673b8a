import { performance } from 'node:perf_hooks';
import { sha256Hex } from '@cxauth/domain';
import { type AuthApiTestContext, createClient, OPS, startAuthApi } from '../../testing/auth-api-test-app';
import { seedContactCenter } from '../../users/__tests__/users-test-fixture';

const TOKEN = '/auth/v3/oauth/token';
const LOCKOUTS = '/auth/v3/ops/lockouts';

/** Brute-force protection on real PostgreSQL and Redis: lockouts, their answers, unlock, what is written. */
describe('brute-force throttle (auth-api, real PostgreSQL and Redis)', () => {
  let ctx: AuthApiTestContext;
  let secret: string;
  const http = () => ctx.app.http();

  const passwordGrant = (username: string, password: string) =>
    http().post(TOKEN).auth('bf_client', secret).type('form').send({ grant_type: 'password', username, password });
  const clientCredentials = (clientId: string, clientSecret: string) =>
    http().post(TOKEN).auth(clientId, clientSecret).type('form').send({ grant_type: 'client_credentials' });
  const throttleKeys = () => ctx.redis.keys(`${ctx.prefix}throttle:*`);
  /** Every throttle counter with its value, to show that successes write nothing. */
  const throttleState = async () => {
    const keys = (await throttleKeys()).sort();
    return Promise.all(keys.map(async (key) => [key, await ctx.redis.get(key)]));
  };

  beforeAll(async () => {
    ctx = await startAuthApi({
      LOGIN_LOCKOUT_FAILURES: '3',
      LOGIN_THROTTLE_FREE_FAILURES: '1',
      LOGIN_THROTTLE_DELAY_MS: '300',
      LOGIN_THROTTLE_MAX_DELAY_MS: '300',
      LOGIN_SOURCE_MAX_FAILURES: '40',
      // The spraying source is told apart by X-Forwarded-For.
      TRUST_PROXY: 'true',
    });
    const cc = await seedContactCenter(ctx.database, ['bf']);
    const user = await http()
      .post('/auth/v3/ops/users')
      .auth(OPS.username, OPS.password)
      .send({ data: { contactCenterId: cc.contactCenterId, username: 'agent', password: 'agent secret 123' } });
    expect(user.status).toBe(200);
    const client = await createClient(ctx.app, {
      client_id: 'bf_client',
      client_secret: 'bf-client-secret-1',
      authorizedGrantTypes: ['password', 'client_credentials'],
    });
    secret = client.client_secret as string;
  });

  afterAll(() => ctx.close());

  it('password grant: delays, then locks the account with 429 + Retry-After; an unknown account answers the same', async () => {
    for (const username of ['bf\\agent', 'bf\\nobody']) {
      const answers = [];
      for (let i = 0; i < 3; i += 1) answers.push(await passwordGrant(username, `wrong ${i}`));
      expect(answers.map((answer) => [answer.status, answer.body.error])).toEqual([
        [400, 'invalid_grant'],
        [400, 'invalid_grant'],
        [400, 'invalid_grant'],
      ]);
      const locked = await passwordGrant(username, 'agent secret 123');
      expect(locked.status).toBe(429);
      expect(locked.headers['cache-control']).toBe('no-store');
      expect(locked.body).toEqual({
        error: 'invalid_grant',
        error_description: 'Too many failed attempts: try again later',
      });
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
    }
    // The operator sees and lifts the lockout; the right password works again.
    const status = await http().get(LOCKOUTS).query({ user: 'BF\\Agent' }).auth(OPS.username, OPS.password);
    expect(status.status).toBe(200);
    expect(status.body.data).toEqual({ failures: 3, lockedForSeconds: expect.any(Number), permanentlyLocked: false });
    expect((await http().delete(LOCKOUTS).query({ user: 'bf\\agent' }).auth(OPS.username, OPS.password)).status).toBe(
      200,
    );
    expect((await passwordGrant('bf\\agent', 'agent secret 123')).status).toBe(200);
    // Keys are hashes: no user name in Redis.
    expect((await throttleKeys()).some((key) => key.includes('agent') || key.includes('nobody'))).toBe(false);
  });

  it('holds failures past the free ones for the progressive delay', async () => {
    const timed = async (password: string) => {
      const started = performance.now();
      await passwordGrant('bf\\delayed', password);
      return performance.now() - started;
    };
    await timed('wrong 1');
    expect(await timed('wrong 2')).toBeGreaterThanOrEqual(290);
    await http().delete(LOCKOUTS).query({ user: 'bf\\delayed' }).auth(OPS.username, OPS.password);
  });

  it('client authentication: a wrong secret locks the client id, the cached good secret keeps working, success writes nothing', async () => {
    const before = await throttleState();
    expect((await clientCredentials('bf_client', secret)).status).toBe(200);
    expect((await clientCredentials('bf_client', secret)).status).toBe(200);
    expect(await throttleState()).toEqual(before);
    for (let i = 0; i < 3; i += 1) expect((await clientCredentials('bf_client', `wrong-${i}`)).status).toBe(401);
    const locked = await clientCredentials('bf_client', 'wrong-again');
    expect(locked.status).toBe(429);
    expect(locked.body.error).toBe('invalid_client');
    expect(locked.headers['retry-after']).toMatch(/^\d+$/);
    // The secret that verified before is recognised without argon2 and without the throttle.
    expect((await clientCredentials('bf_client', secret)).status).toBe(200);
    const key = `${ctx.prefix}throttle:account:${sha256Hex('client:bf_client')}`;
    expect(await ctx.redis.get(key)).toBe('3'); // refused while locked: not checked, not counted
    expect((await http().delete(LOCKOUTS).query({ client: 'bf_client' }).auth(OPS.username, OPS.password)).status).toBe(
      200,
    );
    expect(await ctx.redis.exists(key)).toBe(0);
  });

  it('answers an unknown client id as slowly as a wrong secret (one argon2 verification either way)', async () => {
    const timed = async (clientId: string, i: number) => {
      const started = performance.now();
      expect((await clientCredentials(clientId, `wrong-secret-${i}`)).status).toBeGreaterThanOrEqual(401);
      const elapsed = performance.now() - started;
      await http().delete(LOCKOUTS).query({ client: clientId }).auth(OPS.username, OPS.password);
      return elapsed;
    };
    // Interleaved, so a change of load during the test weighs on both alike.
    const unknownTimes: number[] = [];
    const wrongTimes: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      unknownTimes.push(await timed('no_such_client', i));
      wrongTimes.push(await timed('bf_client', i));
    }
    const median = (times: number[]) => times.sort((a, b) => a - b)[3]!;
    const unknown = median(unknownTimes);
    const wrong = median(wrongTimes);
    // Before: ~11 ms against ~220 ms (a ratio of 0.05). A ratio, not absolute times, and a bound well
    // clear of both that and the jitter of a loaded 2-core machine.
    expect(unknown / wrong).toBeGreaterThan(0.25);
  });

  it('locks a source IP that spreads its guesses over many accounts', async () => {
    const sprayer = '203.0.113.7';
    const fromSprayer = (username: string, password: string) =>
      passwordGrant(username, password).set('X-Forwarded-For', sprayer);
    for (let i = 0; i < 40; i += 1) expect((await fromSprayer(`bf\\spray${i}`, 'wrong')).status).toBe(400);
    expect((await fromSprayer('bf\\agent', 'agent secret 123')).status).toBe(429);
    // Other sources are not affected; the operator lifts the source's lockout.
    expect((await passwordGrant('bf\\agent', 'agent secret 123')).status).toBe(200);
    expect((await http().delete(LOCKOUTS).query({ source: sprayer }).auth(OPS.username, OPS.password)).status).toBe(
      200,
    );
    expect((await fromSprayer('bf\\agent', 'agent secret 123')).status).toBe(200);
  });

  it('ops Basic: refuses while locked with 429 in the envelope, for any user name; bad query gives 400', async () => {
    const wrong = await http().get(LOCKOUTS).query({ client: 'x' }).auth('someone', 'wrong');
    expect(wrong.status).toBe(401);
    expect(
      (await http().get(LOCKOUTS).query({ user: 'a', client: 'b' }).auth(OPS.username, OPS.password)).body.status.code,
    ).toBe(2);
    expect((await http().get(LOCKOUTS).auth(OPS.username, OPS.password)).status).toBe(400);
    expect((await http().delete(LOCKOUTS).query({ source: 'not-an-ip' }).auth(OPS.username, OPS.password)).status).toBe(
      400,
    );
    for (let i = 0; i < 2; i += 1) await http().get(LOCKOUTS).query({ client: 'x' }).auth('someone', 'wrong');
    const locked = await http().get(LOCKOUTS).query({ client: 'x' }).auth('someone', 'wrong');
    expect(locked.status).toBe(429);
    expect(locked.body).toEqual({
      status: { code: 12, message: 'Too many failed attempts: try again later' },
    });
    expect(locked.headers['retry-after']).toMatch(/^\d+$/);
    await ctx.redis.del(`${ctx.prefix}throttle:account:${sha256Hex('user:\\someone')}`);
  });
});

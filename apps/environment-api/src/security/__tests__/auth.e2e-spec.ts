import Redis from 'ioredis';
import { TEST_REDIS_URL } from '@cxauth/testing';
import { TOKEN_CACHE_KEY_PREFIX } from '../bearer-token-validator';
import {
  EnvironmentTestContext,
  FakeUserInfo,
  OPS,
  startEnvironmentApi,
  startFakeUserInfo,
} from '../../__tests__/environment-test-app';
import { sha256Hex } from '@cxauth/domain';

/**
 * Basic vs Bearer vs none. Bearer tokens are checked against a small real HTTP server that implements
 * exactly auth-api's `GET /auth/v3/userinfo` contract (CloudUserDetails or 401), so the caching and
 * authority rules can be driven precisely; e2e/provisioning runs the same path against the real auth-api.
 */
const ENVIRONMENTS = '/environment/v3/environments';
let ctx: EnvironmentTestContext;
let userInfo: FakeUserInfo;
let redis: Redis;
const api = () => ctx.app.http();

function jwtLike(expSeconds: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'ES256' })}.${part({ exp: expSeconds, sub: 'svc' })}.c2ln`;
}
const shortLived = jwtLike(Math.floor(Date.now() / 1000) + 20);

beforeAll(async () => {
  userInfo = await startFakeUserInfo({
    'internal-client-token': { username: 'external_api_client', authorities: ['ROLE_INTERNAL_CLIENT'] },
    'ops-user-token': { username: 'ops', authorities: ['ROLE_OPS', 'ROLE_INTERNAL_CLIENT'], properties: {} },
    'named-ops-token': { username: 'ops', authorities: [] },
    'object-authority-token': { username: 'svc', authorities: [{ name: 'ROLE_INTERNAL_CLIENT', privileges: [] }] },
    'agent-token': {
      username: 'agent1',
      authorities: ['ROLE_AGENT'],
      contactCenterId: 'f1d0c1a4-0000-4000-8000-000000000001',
    },
    [shortLived]: { username: 'svc', authorities: ['ROLE_INTERNAL_CLIENT'] },
  });
  ctx = await startEnvironmentApi({ AUTH_API_URL: userInfo.url });
  redis = new Redis(TEST_REDIS_URL, { keyPrefix: ctx.env.REDIS_KEY_PREFIX });
});
afterAll(async () => {
  await ctx?.close();
  await userInfo?.close();
  redis?.disconnect();
});

describe('authentication and authorities', () => {
  it('no credentials → 401 code 3 with WWW-Authenticate', async () => {
    const response = await api().get(ENVIRONMENTS);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      status: { code: 3, message: 'Full authentication is required: HTTP Basic (ops) or a Bearer token' },
    });
    expect(response.headers['www-authenticate']).toMatch(/Basic realm="cxauth", Bearer/);
  });

  it('wrong ops password → 401 Bad credentials; a malformed or unknown scheme → 401', async () => {
    const wrong = await api().get(ENVIRONMENTS).auth(OPS.user, 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ status: { code: 3, message: 'Bad credentials' } });
    const wrongUser = await api().get(ENVIRONMENTS).auth('root', OPS.password);
    expect(wrongUser.status).toBe(401);
    const digest = await api().get(ENVIRONMENTS).set('authorization', 'Digest abc');
    expect(digest.status).toBe(401);
    const empty = await api().get(ENVIRONMENTS).set('authorization', 'Bearer ');
    expect(empty.status).toBe(401);
  });

  it('wrong ops passwords are throttled: the 10th locks the name with 429 (code 12, Retry-After), good ones meanwhile unaffected', async () => {
    for (let i = 0; i < 10; i += 1)
      expect((await api().get(ENVIRONMENTS).auth('guesser', `wrong ${i}`)).status).toBe(401);
    const locked = await api().get(ENVIRONMENTS).auth('guesser', 'wrong again');
    expect(locked.status).toBe(429);
    expect(locked.body.status.code).toBe(12);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
    await api().get(ENVIRONMENTS).auth(OPS.user, OPS.password).expect(200);
    await redis.del(`throttle:account:${sha256Hex('user:\\guesser')}`);
  }, 30_000);

  it('ops Basic → 200', async () => {
    await api().get(ENVIRONMENTS).auth(OPS.user, OPS.password).expect(200);
  });

  it('a Bearer token with ROLE_INTERNAL_CLIENT → 200; the answer is cached in Redis under sha256(token), not the token', async () => {
    const before = userInfo.calls.length;
    await api().get(ENVIRONMENTS).set('authorization', 'Bearer internal-client-token').expect(200);
    await api().get(ENVIRONMENTS).set('authorization', 'bearer internal-client-token').expect(200);
    expect(userInfo.calls.length - before).toBe(1);

    const key = TOKEN_CACHE_KEY_PREFIX + sha256Hex('internal-client-token');
    const cached = await redis.get(key);
    expect(JSON.parse(cached!)).toEqual({
      valid: true,
      username: 'external_api_client',
      authorities: ['ROLE_INTERNAL_CLIENT'],
    });
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(20_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
    const keys = await redis.keys(`${ctx.env.REDIS_KEY_PREFIX}*`);
    expect(keys.join(' ')).not.toContain('internal-client-token');
  });

  it('the ops user’s own token (password grant, ROLE_OPS) may call; authorities as {name} objects are understood', async () => {
    await api().get(ENVIRONMENTS).set('authorization', 'Bearer ops-user-token').expect(200);
    await api().get(ENVIRONMENTS).set('authorization', 'Bearer object-authority-token').expect(200);
  });

  it('a valid token without an environment authority → 403 code 4 (a user name of "ops" alone is not enough)', async () => {
    const agent = await api().get(ENVIRONMENTS).set('authorization', 'Bearer agent-token');
    expect(agent.status).toBe(403);
    expect(agent.body.status).toMatchObject({ code: 4, message: expect.stringContaining('ROLE_INTERNAL_CLIENT') });
    await api().get(ENVIRONMENTS).set('authorization', 'Bearer named-ops-token').expect(403);
  });

  it('an invalid token → 401, and the refusal is cached briefly', async () => {
    const before = userInfo.calls.length;
    const first = await api().get(ENVIRONMENTS).set('authorization', 'Bearer no-such-token');
    expect(first.status).toBe(401);
    expect(first.body.status).toEqual({ code: 3, message: 'The access token is invalid or expired' });
    await api().get(ENVIRONMENTS).set('authorization', 'Bearer no-such-token').expect(401);
    expect(userInfo.calls.length - before).toBe(1);
    const ttl = await redis.pttl(TOKEN_CACHE_KEY_PREFIX + sha256Hex('no-such-token'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5_000);
  });

  it('the cache never outlives a JWT’s exp', async () => {
    await api().get(ENVIRONMENTS).set('authorization', `Bearer ${shortLived}`).expect(200);
    const ttl = await redis.pttl(TOKEN_CACHE_KEY_PREFIX + sha256Hex(shortLived));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(20_000); // below TOKEN_CACHE_TTL_MS (30 s): bounded by exp
  });

  it('data-center writes need the ops Basic credentials: a Bearer token is 403', async () => {
    const response = await api()
      .post('/environment/v3/data-centers')
      .set('authorization', 'Bearer internal-client-token')
      .send({ data: { location: '/usw1', entryPoint: 'https://gauth.example.com', readOnly: false } });
    expect(response.status).toBe(403);
    expect(response.body.status.code).toBe(4);
    expect(await ctx.database.query('SELECT 1 FROM data_center')).toEqual([]);
  });

  it('global CORS writes need the operator: a service token (ROLE_INTERNAL_CLIENT) is 403, ROLE_OPS may', async () => {
    const origin = {
      data: { contactCenterId: 'f1d0c1a4-0000-4000-8000-0000000000c0', origin: 'https://evil.example' },
    };
    for (const request of [
      api().post('/environment/v3/cors').set('authorization', 'Bearer internal-client-token').send(origin),
      api().delete('/environment/v3/cors').set('authorization', 'Bearer internal-client-token').send(origin),
      api()
        .delete('/environment/v3/cors/f1d0c1a4-0000-4000-8000-0000000000c1')
        .set('authorization', 'Bearer internal-client-token'),
    ]) {
      const response = await request;
      expect(response.status).toBe(403);
      expect(response.body.status.code).toBe(4);
    }
    expect(await ctx.database.query('SELECT 1 FROM cors_origin')).toEqual([]);
    // Reads stay open to service tokens; the ops user's token passes the operator check.
    expect((await api().get('/environment/v3/cors').set('authorization', 'Bearer internal-client-token')).status).toBe(
      200,
    );
    const byOps = await api()
      .delete('/environment/v3/cors/f1d0c1a4-0000-4000-8000-0000000000c1')
      .set('authorization', 'Bearer ops-user-token');
    expect(byOps.status).not.toBe(403);
  });

  it('identity-provider writes need the operator: a service token is 403', async () => {
    const path = '/environment/v3/contact-centers/f1d0c1a4-0000-4000-8000-0000000000c2/identity-provider';
    const body = { data: { type: 'oidc', oidc: { issuer: 'https://idp.example', clientId: 'x', clientSecret: 'y' } } };
    for (const request of [
      api().put(path).set('authorization', 'Bearer internal-client-token').send(body),
      api().delete(path).set('authorization', 'Bearer internal-client-token'),
    ]) {
      const response = await request;
      expect(response.status).toBe(403);
      expect(response.body.status.code).toBe(4);
    }
    // The ops user's token passes the operator check (then: no such contact center).
    const byOps = await api().put(path).set('authorization', 'Bearer ops-user-token').send(body);
    expect(byOps.status).toBe(404);
  });

  it('auth-api unreachable → 503 code 14 (and nothing cached)', async () => {
    await userInfo.close();
    const response = await api().get(ENVIRONMENTS).set('authorization', 'Bearer never-seen-token');
    expect(response.status).toBe(503);
    expect(response.body.status.code).toBe(14);
    expect(await redis.exists(TOKEN_CACHE_KEY_PREFIX + sha256Hex('never-seen-token'))).toBe(0);
    // Basic keeps working without auth-api.
    await api().get(ENVIRONMENTS).auth(OPS.user, OPS.password).expect(200);
  });
});

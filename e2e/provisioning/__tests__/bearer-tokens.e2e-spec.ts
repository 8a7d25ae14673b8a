import Redis from 'ioredis';
import { authApiConfigSchema, authApiService } from '@cxauth/auth-api';
import { environmentApiConfigSchema, environmentApiService } from '@cxauth/environment-api';
import { createTestApp, createTestStorage, TEST_REDIS_URL, TestApp, TestDatabase } from '@cxauth/testing';
import { sha256Hex } from '@cxauth/domain';

/**
 * environment-api's Bearer check against the real auth-api (`/auth/v3/userinfo`): tokens of real
 * clients, the authority rule, the cache bounded by a JWT's expiry, and revocation reaching
 * environment-api once the short cache lapses.
 */
const ENVIRONMENTS = '/environment/v3/environments';
const OPS = ['ops', 'ops'] as const;
let database: TestDatabase;
let authApi: TestApp;
let environmentApi: TestApp;
let redis: Redis;

async function createClient(clientId: string, fields: Record<string, unknown>): Promise<string> {
  const response = await authApi
    .http()
    .post('/auth/v3/ops/clients')
    .auth(...OPS)
    .send({
      data: { client_id: clientId, client_secret: '', authorizedGrantTypes: ['client_credentials'], ...fields },
    });
  expect(response.status).toBe(200);
  return response.body.data.client_secret as string;
}

async function clientToken(clientId: string, secret: string): Promise<{ access_token: string; expires_in: number }> {
  const response = await authApi
    .http()
    .post('/auth/v3/oauth/token')
    .auth(clientId, secret)
    .type('form')
    .send({ grant_type: 'client_credentials' });
  expect(response.status).toBe(200);
  return response.body as { access_token: string; expires_in: number };
}

beforeAll(async () => {
  const storage = await createTestStorage();
  database = storage.database;
  authApi = await createTestApp(authApiConfigSchema, authApiService, storage.env);
  environmentApi = await createTestApp(environmentApiConfigSchema, environmentApiService, {
    ...storage.env,
    AUTH_API_URL: authApi.service.url,
    TOKEN_CACHE_TTL_MS: '60000',
  });
  redis = new Redis(TEST_REDIS_URL, { keyPrefix: storage.env.REDIS_KEY_PREFIX });
}, 60_000);
afterAll(async () => {
  await environmentApi?.close();
  await authApi?.close();
  redis?.disconnect();
  await database?.drop();
});

describe('Bearer tokens from the real auth-api', () => {
  it('a client with ROLE_INTERNAL_CLIENT may call; a client without it gets 403 code 4', async () => {
    const internal = await clientToken(
      'env-internal',
      await createClient('env-internal', { authorities: ['ROLE_INTERNAL_CLIENT'] }),
    );
    const allowed = await environmentApi
      .http()
      .get(ENVIRONMENTS)
      .set('authorization', `Bearer ${internal.access_token}`);
    expect(allowed.status).toBe(200);
    expect(allowed.body).toEqual({ status: { code: 0 }, data: [] });

    const plain = await clientToken('env-plain', await createClient('env-plain', { authorities: [] }));
    const refused = await environmentApi.http().get(ENVIRONMENTS).set('authorization', `Bearer ${plain.access_token}`);
    expect(refused.status).toBe(403);
    expect(refused.body.status.code).toBe(4);
  });

  it('a client named like the ops user gains nothing from its name', async () => {
    const token = await clientToken('ops', await createClient('ops', { authorities: [] }));
    const response = await environmentApi.http().get(ENVIRONMENTS).set('authorization', `Bearer ${token.access_token}`);
    expect(response.status).toBe(403);
  });

  it('the cache of a JWT access token never outlives the token', async () => {
    const secret = await createClient('env-jwt', {
      authorities: ['ROLE_INTERNAL_CLIENT'],
      tokenFormat: 'jwt',
      accessTokenExpirationTimeout: 5,
    });
    const token = await clientToken('env-jwt', secret);
    expect(token.access_token.split('.')).toHaveLength(3);
    await environmentApi.http().get(ENVIRONMENTS).set('authorization', `Bearer ${token.access_token}`).expect(200);
    const ttl = await redis.pttl(`envapi:bearer:${sha256Hex(token.access_token)}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5_000);
  });

  it('a revoked token stops working once the cached answer is gone', async () => {
    const secret = await createClient('env-revoked', { authorities: ['ROLE_INTERNAL_CLIENT'] });
    const token = await clientToken('env-revoked', secret);
    const bearer = `Bearer ${token.access_token}`;
    await environmentApi.http().get(ENVIRONMENTS).set('authorization', bearer).expect(200);
    await authApi
      .http()
      .post('/auth/v3/oauth/revoke')
      .auth('env-revoked', secret)
      .type('form')
      .send({ token: token.access_token })
      .expect(200);
    // Within TOKEN_CACHE_TTL_MS the cached answer still stands (documented); dropping it — as its
    // expiry would — makes environment-api ask auth-api again, which now refuses.
    await environmentApi.http().get(ENVIRONMENTS).set('authorization', bearer).expect(200);
    await redis.del(`envapi:bearer:${sha256Hex(token.access_token)}`);
    const refused = await environmentApi.http().get(ENVIRONMENTS).set('authorization', bearer);
    expect(refused.status).toBe(401);
    expect(refused.body.status).toEqual({ code: 3, message: 'The access token is invalid or expired' });
  });
});

import type { AccessTokenRecord } from '@cxauth/domain';
import { createRedisClient, RedisClient, redisConfigSchema } from '@cxauth/platform';
import {
  createTestApp,
  createTestStorage,
  TEST_REDIS_URL,
  TestApp,
  TestDatabase,
  uniqueRedisPrefix,
} from '@cxauth/testing';
import { authApiConfigSchema } from '../../auth-api.config';
import { authApiService } from '../../auth-api.service';
import { createClient } from '../../testing/auth-api-test-app';
import { RedisTokenStore } from '../redis-token.store';

const now = () => Math.floor(Date.now() / 1000);
const userRecord = (expiresAt: number): AccessTokenRecord => ({
  clientId: 'app',
  subject: 'cc-1\\agent',
  scope: '*',
  authorities: [],
  issuedAt: now(),
  expiresAt,
  jti: 'jti-1',
  user: {
    id: 'cc-1\\agent',
    username: 'agent',
    contactCenterId: 'cc-1',
    environmentId: null,
    authorities: [],
    properties: {},
  },
});

// Real Redis: what the store keeps besides the tokens themselves.
describe('access-token indexes in Redis', () => {
  const prefix = uniqueRedisPrefix();
  let redis: RedisClient;
  let store: RedisTokenStore;
  const keys = async () => (await redis.keys(`${prefix}*`)).map((key) => key.slice(prefix.length)).sort();

  beforeAll(() => {
    redis = createRedisClient(redisConfigSchema.parse({ REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix }));
    store = new RedisTokenStore(redis);
  });
  afterAll(async () => {
    const left = await redis.keys(`${prefix}*`);
    for (const key of left) await redis.del(key.slice(prefix.length));
    redis.disconnect();
  });

  it('does not index client-only tokens by subject (a busy client must not grow one key forever)', async () => {
    for (let i = 0; i < 5; i++) {
      await store.save(`cc${i}`, { ...userRecord(now() + 60), subject: 'svc', user: undefined }, 60);
    }
    expect(await keys()).toEqual(['at:cc0', 'at:cc1', 'at:cc2', 'at:cc3', 'at:cc4']);
  });

  it('keeps only live tokens in a user index and revokes them all', async () => {
    await store.save('old', userRecord(now() - 5), 60);
    await store.save('live1', userRecord(now() + 60), 60);
    await store.save('live2', userRecord(now() + 120), 120);
    const index = (await keys()).find((key) => key.startsWith('at-user:'))!;
    expect(await redis.zrange(index, 0, -1)).toEqual(['live1', 'live2']);
    expect(await redis.ttl(index)).toBeGreaterThan(100);

    expect(await store.revokeAllForSubject('cc-1\\agent')).toBe(2);
    expect(await store.find('old')).toBeNull();
    expect(await store.find('live1')).toBeNull();
    expect(await store.find('live2')).toBeNull();
    expect(await redis.exists(index)).toBe(0);
  });
});

// Real auth-api on PostgreSQL and Redis.
describe('deleting a client', () => {
  let database: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    const storage = await createTestStorage();
    database = storage.database;
    app = await createTestApp(authApiConfigSchema, authApiService, storage.env);
    await createClient(app, {
      client_id: 'gone',
      client_secret: 'gone-secret',
      authorizedGrantTypes: ['client_credentials'],
    });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('ends its access tokens at once (userinfo and introspection no longer accept them)', async () => {
    const issued = await app
      .http()
      .post('/auth/v3/oauth/token')
      .auth('gone', 'gone-secret')
      .type('form')
      .send({ grant_type: 'client_credentials' })
      .expect(200);
    const bearer = `Bearer ${issued.body.access_token}`;
    await app.http().get('/auth/v3/userinfo').set('Authorization', bearer).expect(200);

    await app.http().delete('/auth/v3/ops/clients/gone').auth('ops', 'ops').expect(200);

    const after = await app.http().get('/auth/v3/userinfo').set('Authorization', bearer);
    expect(after.status).toBe(401);
    expect(after.headers['www-authenticate']).toContain('invalid_token');
  });
});

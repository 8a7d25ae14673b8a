import Redis from 'ioredis';
import { TEST_REDIS_URL } from '@cxauth/testing';
import {
  OPS_BASIC,
  seedContactCenter,
  SeededContactCenter,
  startUsersApp,
  UsersTestContext,
} from './users-test-fixture';
import { sha256Hex } from '@cxauth/domain';

const CHANGE = '/auth/v3/change-password';

describe('POST /auth/v3/change-password (Bearer, real PostgreSQL and Redis)', () => {
  let ctx: UsersTestContext;
  let cc: SeededContactCenter;
  let clientSecret: string;

  const http = () => ctx.app.http();

  /** A password-grant access token (public-facing client with a secret) for `username`. */
  async function passwordToken(username: string, password: string): Promise<string> {
    const response = await http()
      .post('/auth/v3/oauth/token')
      .auth('pw_client', clientSecret)
      .type('form')
      .send({ grant_type: 'password', username, password });
    expect(response.status).toBe(200);
    return response.body.access_token;
  }

  async function createUser(username: string, password: string): Promise<string> {
    const response = await http()
      .post('/auth/v3/ops/users')
      .set('Authorization', OPS_BASIC)
      .send({ data: { contactCenterId: cc.contactCenterId, username, password } });
    expect(response.status).toBe(200);
    return response.body.data.id;
  }

  const passwordHash = async (id: string) =>
    (
      await ctx.database.query<{ password_hash: string }>('SELECT password_hash FROM local_user WHERE id = $1', [id])
    )[0]!.password_hash;

  const change = (token: string, data: Record<string, unknown>) =>
    http().post(CHANGE).set('Authorization', `Bearer ${token}`).send({ data });

  beforeAll(async () => {
    ctx = await startUsersApp({ LOGIN_LOCKOUT_FAILURES: '5', LOGIN_THROTTLE_DELAY_MS: '0' });
    cc = await seedContactCenter(ctx.database, ['t100']);
    const client = await http()
      .post('/auth/v3/ops/clients')
      .set('Authorization', OPS_BASIC)
      .send({
        data: {
          client_id: 'pw_client',
          client_secret: 'pw-client-secret-1',
          authorizedGrantTypes: ['password', 'client_credentials'],
        },
      });
    expect(client.status).toBe(200);
    clientSecret = client.body.data.client_secret;
  });

  afterAll(() => ctx.close());

  it('changes the password of the token’s user: 200 envelope, new argon2id hash, old password refused, tokens revoked', async () => {
    const id = await createUser('agent1', 'first secret 111');
    const token = await passwordToken('t100\\agent1', 'first secret 111');
    const hashBefore = await passwordHash(id);

    const response = await change(token, { oldPassword: 'first secret 111', newPassword: 'second secret 222' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: { code: 0 } });

    const hashAfter = await passwordHash(id);
    expect(hashAfter).not.toBe(hashBefore);
    expect(hashAfter).toMatch(/^\$argon2id\$/);
    expect(hashAfter).not.toContain('second secret 222');

    // Every token of the user is revoked by the change.
    const again = await change(token, { oldPassword: 'second secret 222', newPassword: 'third secret 333' });
    expect(again.status).toBe(401);

    const refused = await http()
      .post('/auth/v3/oauth/token')
      .auth('pw_client', clientSecret)
      .type('form')
      .send({ grant_type: 'password', username: 't100\\agent1', password: 'first secret 111' });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_grant');
    expect(await passwordToken('t100\\agent1', 'second secret 222')).toEqual(expect.any(String));
  });

  it('accepts userName naming the same user (bare or tenant\\user, any case)', async () => {
    await createUser('agent2', 'agent2 secret 1');
    let token = await passwordToken('t100\\agent2', 'agent2 secret 1');
    expect(
      (
        await change(token, {
          userName: 'T100\\AGENT2',
          oldPassword: 'agent2 secret 1',
          newPassword: 'agent2 secret 2',
        })
      ).status,
    ).toBe(200);
    token = await passwordToken('t100\\agent2', 'agent2 secret 2');
    expect(
      (await change(token, { userName: 'agent2', oldPassword: 'agent2 secret 2', newPassword: 'agent2 secret 3' }))
        .status,
    ).toBe(200);
  });

  it('answers 403 "Unable to update password" for a wrong old password, and keeps the password', async () => {
    const id = await createUser('agent3', 'agent3 secret 1');
    const token = await passwordToken('t100\\agent3', 'agent3 secret 1');
    const hashBefore = await passwordHash(id);
    const response = await change(token, { oldPassword: 'not my password', newPassword: 'agent3 secret 2' });
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ status: { code: 4, message: 'Unable to update password' } });
    expect(await passwordHash(id)).toBe(hashBefore);
    // The token still works (nothing was revoked): the next attempt is judged, not refused as 401.
    expect((await change(token, { oldPassword: 'agent3 secret 1', newPassword: 'agent3 secret 2' })).status).toBe(200);
  });

  it('answers 403 when userName names another user', async () => {
    await createUser('agent4', 'agent4 secret 1');
    const token = await passwordToken('t100\\agent4', 'agent4 secret 1');
    const other = await change(token, {
      userName: 't100\\agent1',
      oldPassword: 'agent4 secret 1',
      newPassword: 'agent4 secret 2',
    });
    expect(other.status).toBe(403);
    const otherTenant = await change(token, {
      userName: 't999\\agent4',
      oldPassword: 'agent4 secret 1',
      newPassword: 'agent4 secret 2',
    });
    expect(otherTenant.status).toBe(403);
    expect(otherTenant.body.status.message).toBe('Unable to update password');
  });

  it('answers 403 for the ops user and for client-only tokens (not in the local directory)', async () => {
    const opsToken = await passwordToken('ops', 'ops');
    const ops = await change(opsToken, { oldPassword: 'ops', newPassword: 'a new ops password' });
    expect(ops.status).toBe(403);
    expect(ops.body).toEqual({ status: { code: 4, message: 'Unable to update password' } });

    const clientToken = (
      await http()
        .post('/auth/v3/oauth/token')
        .auth('pw_client', clientSecret)
        .type('form')
        .send({ grant_type: 'client_credentials' })
    ).body.access_token as string;
    const client = await change(clientToken, { oldPassword: 'x', newPassword: 'a new client password' });
    expect(client.status).toBe(403);
  });

  it('answers 400 for a new password that breaks the policy or equals the old one', async () => {
    const id = await createUser('agent5', 'agent5 secret 1');
    const token = await passwordToken('t100\\agent5', 'agent5 secret 1');
    const hashBefore = await passwordHash(id);
    for (const newPassword of ['short', 'password123', 'AGENT5', 'agent5 secret 1']) {
      const response = await change(token, { oldPassword: 'agent5 secret 1', newPassword });
      expect(response.status).toBe(400);
      expect(response.body.status.code).toBe(2);
      expect(response.body.status.message).toContain('data.newPassword');
    }
    expect(await passwordHash(id)).toBe(hashBefore);
  });

  it('answers 400 for bad bodies: missing fields, wrong types, unknown fields, no envelope, invalid JSON', async () => {
    await createUser('agent6', 'agent6 secret 1');
    const token = await passwordToken('t100\\agent6', 'agent6 secret 1');
    const bodies: unknown[] = [
      { data: { oldPassword: 'agent6 secret 1' } },
      { data: { oldPassword: 'agent6 secret 1', newPassword: 12345678 } },
      { data: { oldPassword: 'agent6 secret 1', newPassword: 'agent6 secret 2', extra: true } },
      { oldPassword: 'agent6 secret 1', newPassword: 'agent6 secret 2' },
    ];
    for (const body of bodies) {
      const response = await http()
        .post(CHANGE)
        .set('Authorization', `Bearer ${token}`)
        .send(body as object);
      expect(response.status).toBe(400);
      expect(response.body.status.code).toBe(2);
    }
    const invalidJson = await http()
      .post(CHANGE)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send('{"data":');
    expect(invalidJson.status).toBe(400);
    const huge = await http()
      .post(CHANGE)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ data: { oldPassword: 'x'.repeat(1024 * 1024), newPassword: 'y' } }));
    expect(huge.status).toBe(413);
  });

  it('answers 429 with Retry-After once wrong old passwords lock the account (throttle in Redis, hashed keys)', async () => {
    await createUser('agent7', 'agent7 secret 1');
    const token = await passwordToken('t100\\agent7', 'agent7 secret 1');
    for (let i = 0; i < 5; i += 1) {
      expect((await change(token, { oldPassword: `wrong ${i} password`, newPassword: 'agent7 secret 2' })).status).toBe(
        403,
      );
    }
    const blocked = await change(token, { oldPassword: 'agent7 secret 1', newPassword: 'agent7 secret 2' });
    expect(blocked.status).toBe(429);
    expect(blocked.body.status.code).toBe(12);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(800);

    const redis = new Redis(TEST_REDIS_URL);
    try {
      const key = `${ctx.redisPrefix}throttle:account:${sha256Hex(`user:${cc.contactCenterId}\\agent7`)}`;
      expect(Number(await redis.get(key))).toBeGreaterThanOrEqual(5);
      expect(await redis.keys(`${ctx.redisPrefix}*agent7*`)).toEqual([]);
      // An operator unlocks it: the right old password works again, and the count is gone.
      const unlock = await http()
        .delete('/auth/v3/ops/lockouts')
        .query({ user: `${cc.contactCenterId}\\agent7` })
        .set('Authorization', OPS_BASIC);
      expect(unlock.status).toBe(200);
      expect((await change(token, { oldPassword: 'agent7 secret 1', newPassword: 'agent7 secret 2' })).status).toBe(
        200,
      );
      expect(await redis.exists(key)).toBe(0);
    } finally {
      redis.disconnect();
    }
  });

  it('answers 401 without a bearer token or with an unknown one', async () => {
    const none = await http()
      .post(CHANGE)
      .send({ data: { oldPassword: 'a', newPassword: 'b long enough' } });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    const unknown = await http()
      .post(CHANGE)
      .set('Authorization', 'Bearer 5f1ecb33-5c63-4606-8e30-824e494194c6')
      .send({ data: { oldPassword: 'a', newPassword: 'b long enough' } });
    expect(unknown.status).toBe(401);
    const basic = await http()
      .post(CHANGE)
      .set('Authorization', OPS_BASIC)
      .send({ data: { oldPassword: 'a', newPassword: 'b long enough' } });
    expect(basic.status).toBe(401);
  });
});

import { randomUUID } from 'node:crypto';
import {
  OPS_BASIC,
  seedContactCenter,
  SeededContactCenter,
  startUsersApp,
  UsersTestContext,
} from './users-test-fixture';

const USERS = '/auth/v3/ops/users';

describe('ops users API /auth/v3/ops/users (real PostgreSQL)', () => {
  let ctx: UsersTestContext;
  let cc: SeededContactCenter;
  let other: SeededContactCenter;

  const http = () => ctx.app.http();
  const create = (data: Record<string, unknown>) => http().post(USERS).set('Authorization', OPS_BASIC).send({ data });

  beforeAll(async () => {
    // Request logging on, so the log assertion at the end has every request to look at.
    ctx = await startUsersApp({ LOG_LEVEL: 'info', LOG_REQUESTS: 'true' });
    cc = await seedContactCenter(ctx.database, ['t100']);
    other = await seedContactCenter(ctx.database, ['t200']);
  });

  afterAll(() => ctx.close());

  describe('create', () => {
    it('creates a user, answers it in the envelope without any password, and stores an argon2id hash', async () => {
      const response = await create({
        contactCenterId: cc.contactCenterId,
        username: 'Supervisor1',
        password: 'a long enough secret',
        email: 'sup1@example.com',
        firstName: 'Sue',
        lastName: 'Per',
        authorities: ['ROLE_SUPERVISOR', 'ROLE_AGENT'],
        properties: { site: 'north' },
      });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/application\/json/);
      expect(response.body.status).toEqual({ code: 0 });
      const user = response.body.data;
      expect(user).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        contactCenterId: cc.contactCenterId,
        username: 'Supervisor1',
        email: 'sup1@example.com',
        firstName: 'Sue',
        lastName: 'Per',
        authorities: ['ROLE_SUPERVISOR', 'ROLE_AGENT'],
        properties: { site: 'north' },
        enabled: true,
        createdAt: expect.any(Number),
        updatedAt: expect.any(Number),
        passwordChangedAt: expect.any(Number),
      });
      expect(JSON.stringify(response.body)).not.toContain('a long enough secret');
      expect(JSON.stringify(response.body)).not.toContain('argon2');

      const rows = await ctx.database.query<{ password_hash: string; username_lower: string }>(
        'SELECT password_hash, username_lower FROM local_user WHERE id = $1',
        [user.id],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(rows[0]!.password_hash).not.toContain('a long enough secret');
      expect(rows[0]!.username_lower).toBe('supervisor1');
    });

    it('applies defaults (no authorities, no properties, enabled)', async () => {
      const response = await create({
        contactCenterId: cc.contactCenterId,
        username: 'plain',
        password: 'plain password 1',
      });
      expect(response.status).toBe(200);
      expect(response.body.data).toMatchObject({ authorities: [], properties: {}, enabled: true });
      expect(response.body.data).not.toHaveProperty('email');
    });

    it('answers 409 for the same user name in the same contact center, whatever the case', async () => {
      const response = await create({
        contactCenterId: cc.contactCenterId,
        username: 'SUPERVISOR1',
        password: 'another long secret',
      });
      expect(response.status).toBe(409);
      expect(response.body).toEqual({ status: { code: 6, message: expect.stringContaining('SUPERVISOR1') } });
      const rows = await ctx.database.query('SELECT 1 FROM local_user WHERE username_lower = $1', ['supervisor1']);
      expect(rows).toHaveLength(1);
    });

    it('allows the same user name in another contact center', async () => {
      const response = await create({
        contactCenterId: other.contactCenterId,
        username: 'supervisor1',
        password: 'another long secret',
      });
      expect(response.status).toBe(200);
    });

    it('refuses an unknown contact center with 400', async () => {
      const response = await create({
        contactCenterId: randomUUID(),
        username: 'x1',
        password: 'a long enough secret',
      });
      expect(response.status).toBe(400);
      expect(response.body.status.code).toBe(2);
      expect(response.body.status.message).toContain('contactCenterId');
    });

    it.each([
      ['too short', 'short1', 'at least 8'],
      ['common', 'Password123', 'too common'],
      ['equal to the user name', 'longusername', 'user name'],
      ['only whitespace', '          ', 'whitespace'],
      ['too long', 'x'.repeat(300), 'at most 256'],
    ])('enforces the password policy: %s', async (_label, password, message) => {
      const response = await create({ contactCenterId: cc.contactCenterId, username: 'LongUserName', password });
      expect(response.status).toBe(400);
      expect(response.body.status.code).toBe(2);
      expect(response.body.status.message).toContain(message);
      expect(response.body.status.detail.errors[0].field).toBe('data.password');
      expect(
        await ctx.database.query('SELECT 1 FROM local_user WHERE username_lower = $1', ['longusername']),
      ).toHaveLength(0);
    });

    it.each([
      ['a missing field', { contactCenterId: 'CC', password: 'a long enough secret' }, 'username'],
      ['a wrong type', { contactCenterId: 'CC', username: 42, password: 'a long enough secret' }, 'username'],
      [
        'an unknown field',
        { contactCenterId: 'CC', username: 'u1', password: 'a long enough secret', admin: true },
        'admin',
      ],
      [
        'a backslash in the user name',
        { contactCenterId: 'CC', username: 't100\\u1', password: 'a long enough secret' },
        'username',
      ],
      [
        'a bad e-mail',
        { contactCenterId: 'CC', username: 'u1', password: 'a long enough secret', email: 'nope' },
        'email',
      ],
      [
        'a bad authority',
        { contactCenterId: 'CC', username: 'u1', password: 'a long enough secret', authorities: ['bad role'] },
        'authorities',
      ],
      [
        'a non-string property',
        { contactCenterId: 'CC', username: 'u1', password: 'a long enough secret', properties: { a: 1 } },
        'properties',
      ],
      [
        'a non-UUID contact center',
        { contactCenterId: 'abc', username: 'u1', password: 'a long enough secret' },
        'contactCenterId',
      ],
    ])('answers 400 in the envelope for %s', async (_label, data, field) => {
      const body = JSON.parse(JSON.stringify(data).replace('"CC"', JSON.stringify(cc.contactCenterId)));
      const response = await create(body);
      expect(response.status).toBe(400);
      expect(response.body.status.code).toBe(2);
      expect(response.body.status.message).toContain(field);
      expect(JSON.stringify(response.body)).not.toContain('a long enough secret');
    });

    it('answers 400 for a body that is not the {"data":…} envelope', async () => {
      const response = await http()
        .post(USERS)
        .set('Authorization', OPS_BASIC)
        .send({ contactCenterId: cc.contactCenterId, username: 'u1', password: 'a long enough secret' });
      expect(response.status).toBe(400);
      expect(response.body.status.code).toBe(2);
    });

    it('answers 400 for invalid JSON', async () => {
      const response = await http()
        .post(USERS)
        .set('Authorization', OPS_BASIC)
        .set('Content-Type', 'application/json')
        .send('{"data": {"username": ');
      expect(response.status).toBe(400);
      expect(response.body.status.code).toEqual(expect.any(Number));
      expect(response.body.status.code).not.toBe(0);
    });

    it('answers 413 for a 1 MB body', async () => {
      const response = await http()
        .post(USERS)
        .set('Authorization', OPS_BASIC)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ data: { username: 'x'.repeat(1024 * 1024) } }));
      expect(response.status).toBe(413);
      expect(response.body.status.code).toBe(7);
    });
  });

  describe('list and get', () => {
    it('lists users, filtered by contact center and by user name', async () => {
      const all = await http().get(USERS).set('Authorization', OPS_BASIC);
      expect(all.status).toBe(200);
      expect(all.body.status.code).toBe(0);
      expect(all.body.data.length).toBeGreaterThanOrEqual(3);

      const inCc = await http()
        .get(USERS)
        .query({ contactCenterId: cc.contactCenterId })
        .set('Authorization', OPS_BASIC);
      expect(inCc.status).toBe(200);
      expect(inCc.body.data.map((u: { username: string }) => u.username)).toEqual(['plain', 'Supervisor1']);
      expect(inCc.body.data.every((u: { contactCenterId: string }) => u.contactCenterId === cc.contactCenterId)).toBe(
        true,
      );

      const byName = await http().get(USERS).query({ username: 'SUPERVISOR1' }).set('Authorization', OPS_BASIC);
      expect(byName.body.data).toHaveLength(2);
      for (const user of [...all.body.data, ...byName.body.data]) {
        expect(user).not.toHaveProperty('password');
        expect(user).not.toHaveProperty('passwordHash');
      }

      const paged = await http().get(USERS).query({ limit: 1, offset: 1 }).set('Authorization', OPS_BASIC);
      expect(paged.body.data).toHaveLength(1);
      expect(paged.body.data[0].id).toBe(all.body.data[1].id);
    });

    it('refuses a bad filter with 400', async () => {
      const badCc = await http().get(USERS).query({ contactCenterId: 'nope' }).set('Authorization', OPS_BASIC);
      expect(badCc.status).toBe(400);
      const unknown = await http().get(USERS).query({ foo: 'bar' }).set('Authorization', OPS_BASIC);
      expect(unknown.status).toBe(400);
      expect(unknown.body.status.message).toContain('foo');
      const badLimit = await http().get(USERS).query({ limit: 'lots' }).set('Authorization', OPS_BASIC);
      expect(badLimit.status).toBe(400);
    });

    it('gets one user by id; 404 for an unknown or malformed id', async () => {
      const created = await create({
        contactCenterId: cc.contactCenterId,
        username: 'getme',
        password: 'get me secret 1',
      });
      const response = await http().get(`${USERS}/${created.body.data.id}`).set('Authorization', OPS_BASIC);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: { code: 0 }, data: created.body.data });

      const unknown = await http().get(`${USERS}/${randomUUID()}`).set('Authorization', OPS_BASIC);
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ status: { code: 5, message: expect.stringContaining('not found') } });
      const malformed = await http().get(`${USERS}/not-a-uuid`).set('Authorization', OPS_BASIC);
      expect(malformed.status).toBe(404);
      expect(malformed.body.status.code).toBe(5);
    });
  });

  describe('update', () => {
    it('changes only the fields sent', async () => {
      const created = await create({
        contactCenterId: cc.contactCenterId,
        username: 'partial',
        password: 'partial secret 1',
        firstName: 'Par',
        authorities: ['ROLE_AGENT'],
      });
      const id = created.body.data.id;
      const hashBefore = (
        await ctx.database.query<{ password_hash: string }>('SELECT password_hash FROM local_user WHERE id = $1', [id])
      )[0]!.password_hash;
      const response = await http()
        .put(`${USERS}/${id}`)
        .set('Authorization', OPS_BASIC)
        .send({ data: { lastName: 'Tial', properties: { k: 'v' } } });
      expect(response.status).toBe(200);
      expect(response.body.data).toMatchObject({
        username: 'partial',
        firstName: 'Par',
        lastName: 'Tial',
        authorities: ['ROLE_AGENT'],
        properties: { k: 'v' },
        passwordChangedAt: created.body.data.passwordChangedAt,
      });
      const hashAfter = (
        await ctx.database.query<{ password_hash: string }>('SELECT password_hash FROM local_user WHERE id = $1', [id])
      )[0]!.password_hash;
      expect(hashAfter).toBe(hashBefore);
      const cleared = await http()
        .put(`${USERS}/${id}`)
        .set('Authorization', OPS_BASIC)
        .send({ data: { firstName: null } });
      expect(cleared.body.data).not.toHaveProperty('firstName');
    });

    it('re-hashes a new password: the old one stops working, the new one works', async () => {
      const created = await create({
        contactCenterId: cc.contactCenterId,
        username: 'rehash',
        password: 'first secret 11',
      });
      const id = created.body.data.id;
      const { UserAuthenticationService } = await import('../user-authentication.service');
      const auth = ctx.app.service.app.get(UserAuthenticationService);
      expect(await auth.authenticate('t100\\rehash', 'first secret 11')).not.toBeNull();

      const response = await http()
        .put(`${USERS}/${id}`)
        .set('Authorization', OPS_BASIC)
        .send({ data: { password: 'second secret 22' } });
      expect(response.status).toBe(200);
      expect(response.body.data.passwordChangedAt).toBeGreaterThanOrEqual(created.body.data.passwordChangedAt);
      const rows = await ctx.database.query<{ password_hash: string }>(
        'SELECT password_hash FROM local_user WHERE id = $1',
        [id],
      );
      expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
      expect(await auth.authenticate('t100\\rehash', 'first secret 11')).toBeNull();
      expect(await auth.authenticate('t100\\rehash', 'second secret 22')).not.toBeNull();

      const weak = await http()
        .put(`${USERS}/${id}`)
        .set('Authorization', OPS_BASIC)
        .send({ data: { password: 'rehash' } });
      expect(weak.status).toBe(400);
      expect(await auth.authenticate('t100\\rehash', 'second secret 22')).not.toBeNull();
    });

    it('disabling a user stops its sign-in', async () => {
      const created = await create({
        contactCenterId: cc.contactCenterId,
        username: 'tobedisabled',
        password: 'disabled secret 1',
      });
      const { UserAuthenticationService } = await import('../user-authentication.service');
      const auth = ctx.app.service.app.get(UserAuthenticationService);
      await http()
        .put(`${USERS}/${created.body.data.id}`)
        .set('Authorization', OPS_BASIC)
        .send({ data: { enabled: false } })
        .expect(200);
      expect(await auth.authenticate('t100\\tobedisabled', 'disabled secret 1')).toBeNull();
    });

    it('answers 409 when renaming onto an existing name, and nothing changes', async () => {
      const created = await create({
        contactCenterId: cc.contactCenterId,
        username: 'renameme',
        password: 'rename secret 1',
      });
      const response = await http()
        .put(`${USERS}/${created.body.data.id}`)
        .set('Authorization', OPS_BASIC)
        .send({ data: { username: 'Plain', lastName: 'Changed' } });
      expect(response.status).toBe(409);
      expect(response.body.status.code).toBe(6);
      const rows = await ctx.database.query<{ username: string; last_name: string | null }>(
        'SELECT username, last_name FROM local_user WHERE id = $1',
        [created.body.data.id],
      );
      expect(rows[0]).toEqual({ username: 'renameme', last_name: null });
    });

    it('answers 400 for unknown fields (including contactCenterId) and wrong types; 404 for an unknown id', async () => {
      const created = await create({
        contactCenterId: cc.contactCenterId,
        username: 'strict',
        password: 'strict secret 1',
      });
      const url = `${USERS}/${created.body.data.id}`;
      const moved = await http()
        .put(url)
        .set('Authorization', OPS_BASIC)
        .send({ data: { contactCenterId: other.contactCenterId } });
      expect(moved.status).toBe(400);
      expect(moved.body.status.message).toContain('contactCenterId');
      const wrongType = await http()
        .put(url)
        .set('Authorization', OPS_BASIC)
        .send({ data: { enabled: 'yes' } });
      expect(wrongType.status).toBe(400);
      expect(wrongType.body.status.message).toContain('enabled');
      const unknown = await http()
        .put(`${USERS}/${randomUUID()}`)
        .set('Authorization', OPS_BASIC)
        .send({ data: { lastName: 'x' } });
      expect(unknown.status).toBe(404);
      expect(unknown.body.status.code).toBe(5);
    });
  });

  describe('delete', () => {
    it('deletes a user (row gone, sign-in refused); a second delete is 404', async () => {
      const created = await create({
        contactCenterId: cc.contactCenterId,
        username: 'deleteme',
        password: 'delete secret 1',
      });
      const url = `${USERS}/${created.body.data.id}`;
      const response = await http().delete(url).set('Authorization', OPS_BASIC);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: { code: 0 } });
      expect(await ctx.database.query('SELECT 1 FROM local_user WHERE id = $1', [created.body.data.id])).toHaveLength(
        0,
      );
      const { UserAuthenticationService } = await import('../user-authentication.service');
      expect(
        await ctx.app.service.app.get(UserAuthenticationService).authenticate('t100\\deleteme', 'delete secret 1'),
      ).toBeNull();
      const again = await http().delete(url).set('Authorization', OPS_BASIC);
      expect(again.status).toBe(404);
      const malformed = await http().delete(`${USERS}/x`).set('Authorization', OPS_BASIC);
      expect(malformed.status).toBe(404);
    });
  });

  describe('token revocation', () => {
    let secret: string;

    beforeAll(async () => {
      const client = await http()
        .post('/auth/v3/ops/clients')
        .set('Authorization', OPS_BASIC)
        .send({
          data: {
            client_id: 'revocation_client',
            client_secret: 'revocation-secret-1',
            authorizedGrantTypes: ['password', 'refresh_token'],
          },
        });
      secret = client.body.data.client_secret;
    });

    async function signedIn(
      username: string,
      password: string,
    ): Promise<{ id: string; access: string; refresh: string }> {
      const created = await create({ contactCenterId: cc.contactCenterId, username, password });
      expect(created.status).toBe(200);
      const token = await http()
        .post('/auth/v3/oauth/token')
        .auth('revocation_client', secret)
        .type('form')
        .send({ grant_type: 'password', username: `t100\\${username}`, password });
      expect(token.status).toBe(200);
      return { id: created.body.data.id, access: token.body.access_token, refresh: token.body.refresh_token };
    }

    const userinfoStatus = async (access: string) =>
      (await http().get('/auth/v3/userinfo').set('Authorization', `Bearer ${access}`)).status;
    const refreshStatus = async (refresh: string) =>
      (
        await http()
          .post('/auth/v3/oauth/token')
          .auth('revocation_client', secret)
          .type('form')
          .send({ grant_type: 'refresh_token', refresh_token: refresh })
      ).status;

    it('keeps tokens through a profile change', async () => {
      const user = await signedIn('keeper', 'keeper secret 1');
      await http()
        .put(`${USERS}/${user.id}`)
        .set('Authorization', OPS_BASIC)
        .send({ data: { lastName: 'Kept' } })
        .expect(200);
      expect(await userinfoStatus(user.access)).toBe(200);
    });

    it.each([
      ['disabling', { enabled: false }],
      ['setting a password', { password: 'reset by ops 1' }],
      ['renaming', { username: 'renamed-revoked' }],
    ])('revokes access and refresh tokens when %s', async (_label, data) => {
      const user = await signedIn(`revoke-${Object.keys(data)[0]}`, 'revoke secret 1');
      expect(await userinfoStatus(user.access)).toBe(200);
      await http().put(`${USERS}/${user.id}`).set('Authorization', OPS_BASIC).send({ data }).expect(200);
      expect(await userinfoStatus(user.access)).toBe(401);
      expect(await refreshStatus(user.refresh)).toBe(400);
    });

    it('revokes access and refresh tokens on delete', async () => {
      const user = await signedIn('revoke-delete', 'revoke secret 1');
      await http().delete(`${USERS}/${user.id}`).set('Authorization', OPS_BASIC).expect(200);
      expect(await userinfoStatus(user.access)).toBe(401);
      expect(await refreshStatus(user.refresh)).toBe(400);
    });
  });

  describe('ops authentication', () => {
    it.each([
      ['no credentials', undefined],
      ['a wrong password', 'Basic ' + Buffer.from('ops:wrong').toString('base64')],
      ['a wrong user', 'Basic ' + Buffer.from('admin:ops').toString('base64')],
      ['a bearer token', 'Bearer 5f1ecb33-5c63-4606-8e30-824e494194c6'],
    ])('answers 401 for %s, on every method', async (_label, authorization) => {
      const withAuth = (request: import('supertest').Test) =>
        authorization ? request.set('Authorization', authorization) : request;
      const id = randomUUID();
      const responses = await Promise.all([
        withAuth(http().get(USERS)),
        withAuth(http().get(`${USERS}/${id}`)),
        withAuth(
          http()
            .post(USERS)
            .send({ data: { contactCenterId: cc.contactCenterId, username: 'intruder', password: 'intruder secret' } }),
        ),
        withAuth(http().put(`${USERS}/${id}`).send({ data: {} })),
        withAuth(http().delete(`${USERS}/${id}`)),
      ]);
      for (const response of responses) {
        expect(response.status).toBe(401);
        expect(response.body.error).toBe('Unauthorized');
      }
      if (authorization?.startsWith('Basic')) {
        expect(responses[0]!.body).toEqual({ error: 'Unauthorized', error_description: 'Bad credentials' });
      }
      expect(await ctx.database.query('SELECT 1 FROM local_user WHERE username_lower = $1', ['intruder'])).toHaveLength(
        0,
      );
    });
  });

  it('never writes a password into the logs', () => {
    const logs = ctx.app.logs.join('\n');
    const requestLines = ctx.app.logs.filter(
      (line) => line.includes('request completed') && line.includes('/auth/v3/ops/users'),
    );
    expect(requestLines.length).toBeGreaterThan(20);
    for (const secret of ['a long enough secret', 'second secret 22', 'first secret 11', 'partial secret 1']) {
      expect(logs).not.toContain(secret);
    }
  });
});

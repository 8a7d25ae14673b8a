import { OPS_USER_AUTHORITIES } from '../directories/ops-user.directory';
import { PasswordHasher } from '../password-hasher';
import { UserAuthenticationService } from '../user-authentication.service';
import {
  OPS_BASIC,
  seedContactCenter,
  SeededContactCenter,
  startUsersApp,
  UsersTestContext,
} from './users-test-fixture';

describe('UserAuthenticationService (ops user + local directory, real PostgreSQL)', () => {
  let ctx: UsersTestContext;
  let auth: UserAuthenticationService;
  let t100: SeededContactCenter;
  let t200: SeededContactCenter;

  async function createUser(data: Record<string, unknown>): Promise<Record<string, unknown>> {
    const response = await ctx.app.http().post('/auth/v3/ops/users').set('Authorization', OPS_BASIC).send({ data });
    expect(response.status).toBe(200);
    return response.body.data;
  }

  beforeAll(async () => {
    ctx = await startUsersApp();
    auth = ctx.app.service.app.get(UserAuthenticationService);
    t100 = await seedContactCenter(ctx.database, ['t100', 'Acme.Example']);
    t200 = await seedContactCenter(ctx.database, ['t200']);
    await createUser({
      contactCenterId: t100.contactCenterId,
      username: 'Agent1',
      password: 'correct horse battery',
      email: 'agent1@example.com',
      firstName: 'Ann',
      lastName: 'Agent',
      authorities: ['ROLE_AGENT'],
      properties: { team: 'blue' },
    });
    await createUser({ contactCenterId: t200.contactCenterId, username: 'agent1', password: 'another secret 200' });
    await createUser({
      contactCenterId: t100.contactCenterId,
      username: 'disabled',
      password: 'correct horse battery',
      enabled: false,
    });
  });

  afterAll(() => ctx.close());

  it('authenticates the ops user (no tenant) with the ops authorities', async () => {
    const user = await auth.authenticate('ops', 'ops');
    expect(user).toEqual({
      id: 'ops',
      username: 'ops',
      contactCenterId: null,
      environmentId: null,
      authorities: [...OPS_USER_AUTHORITIES],
      properties: {},
    });
    expect(await auth.authenticate('\\ops', 'ops')).toMatchObject({ id: 'ops' });
  });

  it('refuses the ops user with a wrong password, and under a tenant', async () => {
    expect(await auth.authenticate('ops', 'wrong')).toBeNull();
    expect(await auth.authenticate('OPS', 'ops')).toBeNull();
    expect(await auth.authenticate('t100\\ops', 'ops')).toBeNull();
    expect(await auth.authenticate('ops', 'ops', 't100')).toBeNull();
  });

  it('authenticates a local user as tenant\\user, resolving the tenant through contact-center domains', async () => {
    const user = await auth.authenticate('t100\\Agent1', 'correct horse battery');
    expect(user).toEqual({
      id: `${t100.contactCenterId}\\agent1`,
      username: 'Agent1',
      contactCenterId: t100.contactCenterId,
      environmentId: t100.environmentId,
      email: 'agent1@example.com',
      firstName: 'Ann',
      lastName: 'Agent',
      authorities: ['ROLE_AGENT'],
      properties: { team: 'blue' },
    });
  });

  it('matches domains and user names case-insensitively, and any of a contact center’s domains', async () => {
    expect(await auth.authenticate('T100\\AGENT1', 'correct horse battery')).toMatchObject({
      contactCenterId: t100.contactCenterId,
    });
    expect(await auth.authenticate('acme.example\\agent1', 'correct horse battery')).toMatchObject({
      contactCenterId: t100.contactCenterId,
    });
  });

  it('takes the tenant from a separate tenant field when the user name has no backslash', async () => {
    expect(await auth.authenticate('agent1', 'correct horse battery', 't100')).toMatchObject({
      contactCenterId: t100.contactCenterId,
    });
    expect(await auth.authenticate('agent1', 'another secret 200', 'T200')).toMatchObject({
      contactCenterId: t200.contactCenterId,
      id: `${t200.contactCenterId}\\agent1`,
    });
    // The backslash form wins over the field.
    expect(await auth.authenticate('t200\\agent1', 'another secret 200', 't100')).toMatchObject({
      contactCenterId: t200.contactCenterId,
    });
  });

  it('keeps users of different contact centers apart (same name, other password)', async () => {
    expect(await auth.authenticate('t100\\agent1', 'another secret 200')).toBeNull();
    expect(await auth.authenticate('t200\\agent1', 'correct horse battery')).toBeNull();
  });

  it('answers null for a wrong password, an unknown user, an unknown tenant, no tenant, a disabled user', async () => {
    expect(await auth.authenticate('t100\\agent1', 'wrong password!')).toBeNull();
    expect(await auth.authenticate('t100\\nobody', 'correct horse battery')).toBeNull();
    expect(await auth.authenticate('t999\\agent1', 'correct horse battery')).toBeNull();
    expect(await auth.authenticate('agent1', 'correct horse battery')).toBeNull();
    expect(await auth.authenticate('t100\\disabled', 'correct horse battery')).toBeNull();
    expect(await auth.authenticate('', 'x')).toBeNull();
    expect(await auth.authenticate('t100\\agent1', '')).toBeNull();
    expect(await auth.authenticate('t100\\' + 'a'.repeat(600), 'x')).toBeNull();
  });

  it('spends one argon2id verification on an unknown user, an unknown tenant and a wrong password alike', async () => {
    // Counting verifications (the calls pass through to the real hasher) instead of timing them:
    // wall-clock ratios are noise on a shared machine, the number of argon2 runs is not.
    const hasher = ctx.app.service.app.get(PasswordHasher);
    const verify = jest.spyOn(hasher, 'verify');
    const verifyDummy = jest.spyOn(hasher, 'verifyDummy');
    const argon2Runs = async (username: string) => {
      verify.mockClear();
      verifyDummy.mockClear();
      expect(await auth.authenticate(username, 'wrong password!')).toBeNull();
      return verify.mock.calls.length + verifyDummy.mock.calls.length;
    };
    try {
      expect(await argon2Runs('t100\\agent1')).toBe(1);
      expect(verify).toHaveBeenCalledTimes(1);
      expect(await argon2Runs('t100\\nobody')).toBe(1);
      expect(verifyDummy).toHaveBeenCalledTimes(1);
      expect(await argon2Runs('t999\\agent1')).toBe(1);
      expect(verifyDummy).toHaveBeenCalledTimes(1);
    } finally {
      verify.mockRestore();
      verifyDummy.mockRestore();
    }
  });

  it('finds users by name (no password) and by their id', async () => {
    expect(await auth.findUser('t100\\AGENT1')).toMatchObject({ username: 'Agent1' });
    expect(await auth.findUser('agent1', 't200')).toMatchObject({ contactCenterId: t200.contactCenterId });
    expect(await auth.findUser('ops')).toMatchObject({ id: 'ops' });
    expect(await auth.findUser('t100\\nobody')).toBeNull();
    expect(await auth.findUser('t100\\disabled')).toBeNull();
    expect(await auth.findById(`${t100.contactCenterId}\\agent1`)).toMatchObject({
      username: 'Agent1',
      environmentId: t100.environmentId,
    });
    expect(await auth.findById('ops')).toMatchObject({ id: 'ops' });
    expect(await auth.findById('not-a-uuid\\agent1')).toBeNull();
    expect(await auth.findById(`${t100.contactCenterId}\\nobody`)).toBeNull();
  });

  it('stops resolving a tenant as soon as its domain is removed', async () => {
    await ctx.database.query(`DELETE FROM contact_center_domain WHERE domain = 'acme.example'`);
    expect(await auth.authenticate('acme.example\\agent1', 'correct horse battery')).toBeNull();
    expect(await auth.authenticate('t100\\agent1', 'correct horse battery')).not.toBeNull();
  });
});

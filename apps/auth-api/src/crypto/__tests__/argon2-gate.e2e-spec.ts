import { hash } from '@node-rs/argon2';
import { hashSync } from '@node-rs/bcrypt';
import { OpsCredentials } from '@cxauth/platform';
import { testEncryptionKey } from '@cxauth/testing';
import { authApiConfigSchema } from '../../auth-api.config';
import { ARGON2ID_OPTIONS } from '../../users/password-hasher';
import { Argon2Gate } from '../argon2-gate';

describe('Argon2Gate (real argon2id)', () => {
  let stored: string;
  beforeAll(async () => {
    stored = await hash('right password', ARGON2ID_OPTIONS);
  });

  it('runs at most PASSWORD_HASH_CONCURRENCY at once and queues the rest in order', async () => {
    const gate = new Argon2Gate({ PASSWORD_HASH_CONCURRENCY: 2 });
    const attempts = ['right password', 'wrong', 'right password', 'also wrong', 'right password'];
    const started = attempts.map((password) => gate.verify(stored, password));
    await new Promise((resolve) => setImmediate(resolve)); // p-limit starts tasks a microtask later

    expect(gate.load).toEqual({ active: 2, waiting: 3 });
    expect(await Promise.all(started)).toEqual([true, false, true, false, true]);
    expect(gate.load).toEqual({ active: 0, waiting: 0 });
  });

  it('frees its slot when argon2 rejects a stored value that is not a hash', async () => {
    const gate = new Argon2Gate({ PASSWORD_HASH_CONCURRENCY: 1 });

    await expect(gate.verify('not-a-phc-string', 'x')).rejects.toThrow();
    expect(gate.load).toEqual({ active: 0, waiting: 0 });
    await expect(gate.verify(stored, 'right password')).resolves.toBe(true);
  });

  it('hashes with the options it is given', async () => {
    const gate = new Argon2Gate({ PASSWORD_HASH_CONCURRENCY: 1 });

    const phc = await gate.hash('secret', ARGON2ID_OPTIONS);

    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expect(gate.verify(phc, 'secret')).resolves.toBe(true);
  });
});

describe('ops password checks through the gate', () => {
  it('runs the bcrypt check of a bcrypt-encoded ADMIN_PASSWORD in the gate (it queues behind argon2)', async () => {
    const gate = new Argon2Gate({ PASSWORD_HASH_CONCURRENCY: 1 });
    const stored = await hash('right password', ARGON2ID_OPTIONS);
    const ops = new OpsCredentials(
      { ADMIN_USERNAME: 'ops', ADMIN_PASSWORD: hashSync('ops password 1', 4), ADMIN_PASSWORD_MIN_LENGTH: 12 },
      gate,
    );
    const argon2 = gate.verify(stored, 'wrong');
    const bcrypt = ops.verify('ops', 'ops password 1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(gate.load).toEqual({ active: 1, waiting: 1 });
    expect(await bcrypt).toBe(true);
    expect(await argon2).toBe(false);
  });

  it('costs an unknown secret one argon2 verification (verifyDummy), in the gate', async () => {
    const gate = new Argon2Gate({ PASSWORD_HASH_CONCURRENCY: 1 });
    const dummy = gate.verifyDummy('anything');
    await new Promise((resolve) => setImmediate(resolve));
    expect(gate.load).toEqual({ active: 1, waiting: 0 });
    expect(await dummy).toBe(false);
  });
});

describe('PASSWORD_HASH_CONCURRENCY and UV_THREADPOOL_SIZE', () => {
  const base = {
    DATABASE_URL: 'postgres://u@db/auth',
    REDIS_URL: 'redis://redis:6379',
    ADMIN_USERNAME: 'ops',
    ADMIN_PASSWORD: 'ops-password-long-enough',
    ENCRYPTION_KEY: testEncryptionKey(),
    PUBLIC_BASE_URL: 'https://gauth.example.com',
  };
  const parse = (env: Record<string, string>) => authApiConfigSchema.safeParse({ ...base, ...env });

  it('defaults to 3 of a 4-thread pool', () => {
    expect(parse({}).data).toMatchObject({ PASSWORD_HASH_CONCURRENCY: 3, UV_THREADPOOL_SIZE: 4 });
  });

  it('accepts a larger pool with a larger gate', () => {
    expect(parse({ PASSWORD_HASH_CONCURRENCY: '6', UV_THREADPOOL_SIZE: '8' }).data).toMatchObject({
      PASSWORD_HASH_CONCURRENCY: 6,
      UV_THREADPOOL_SIZE: 8,
    });
  });

  it.each([
    [{ PASSWORD_HASH_CONCURRENCY: '4' }, 'must be lower than UV_THREADPOOL_SIZE'],
    [{ PASSWORD_HASH_CONCURRENCY: '6', UV_THREADPOOL_SIZE: '6' }, 'must be lower than UV_THREADPOOL_SIZE'],
    [{ PASSWORD_HASH_CONCURRENCY: '0' }, ''],
    [{ PASSWORD_HASH_CONCURRENCY: 'many' }, ''],
    [{ UV_THREADPOOL_SIZE: '2000' }, ''],
  ])('refuses %j', (env, message) => {
    const result = parse(env);

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message).join(' ')).toContain(message);
  });
});

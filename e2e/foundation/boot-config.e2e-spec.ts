import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const dist = (app: string, entry: string) => join(__dirname, `../../dist/apps/${app}/src/${entry}.js`);
const validKey = Buffer.alloc(32, 1).toString('base64');
/** Every required variable of auth-api and environment-api, well-formed (nothing listens behind them). */
const wellFormed = {
  DATABASE_URL: 'postgres://u@127.0.0.1:1/db',
  REDIS_URL: 'redis://127.0.0.1:1',
  ADMIN_USERNAME: 'ops',
  ADMIN_PASSWORD: 'long-enough-ops-password',
  ENCRYPTION_KEY: validKey,
  PUBLIC_BASE_URL: 'https://gauth.example.com',
  AUTH_API_URL: 'http://gauth-auth',
};

function boot(app: string, env: Record<string, string>, entry = 'main') {
  const result = spawnSync(process.execPath, [dist(app, entry)], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stderr: result.stderr };
}

// The built services, started as real processes with a broken environment.
describe('configuration is validated once, at boot', () => {
  it.each(['auth-api', 'environment-api'])(
    '%s refuses to start without its required variables and names each',
    (app) => {
      const { code, stderr } = boot(app, {});
      expect(code).toBe(78);
      expect(stderr).toContain(`${app}: invalid configuration`);
      for (const variable of ['DATABASE_URL', 'REDIS_URL', 'ADMIN_USERNAME', 'ADMIN_PASSWORD', 'ENCRYPTION_KEY']) {
        expect(stderr).toContain(`${variable} is required`);
      }
    },
  );

  it('auth-api names a malformed variable and the expected form', () => {
    const { code, stderr } = boot('auth-api', {
      ...wellFormed,
      PUBLIC_BASE_URL: 'gauth.example.com',
      MANAGEMENT_PORT: 'ninety',
    });
    expect(code).toBe(78);
    expect(stderr).toContain('PUBLIC_BASE_URL must be an http(s):// URL');
    expect(stderr).toContain('MANAGEMENT_PORT must be a port number');
  });

  it.each(['auth-api', 'environment-api'])(
    '%s refuses the local in-memory Redis unless the local stack allows it',
    (app) => {
      const { code, stderr } = boot(app, { ...wellFormed, REDIS_URL: 'memory://local' });
      expect(code).toBe(78);
      expect(stderr).toContain("REDIS_URL memory:// is the local run's in-memory store");
    },
  );

  it.each(['auth-api', 'environment-api'])(
    '%s refuses a short plain ADMIN_PASSWORD and names the setting; a bcrypt-encoded one is accepted',
    (app) => {
      const short = boot(app, { ...wellFormed, ADMIN_PASSWORD: 'x' });
      expect(short.code).toBe(78);
      expect(short.stderr).toContain(
        'ADMIN_PASSWORD must be at least 12 characters (ADMIN_PASSWORD_MIN_LENGTH), or bcrypt-encoded',
      );
      const bcrypt = boot(app, {
        ...wellFormed,
        ADMIN_PASSWORD: '$2y$04$Wf/Z40nswvCjNVZoIamAz.bFcwuZx2kh900XW1dqslKDFd4tSobsu',
        MANAGEMENT_PORT: 'ninety',
      });
      // Only the deliberately broken port is refused: the bcrypt password passed.
      expect(bcrypt.code).toBe(78);
      expect(bcrypt.stderr).not.toContain('ADMIN_PASSWORD');
    },
  );

  it('auth-ui rejects a malformed port', () => {
    const { code, stderr } = boot('auth-ui', { PORT: '-1' });
    expect(code).toBe(78);
    expect(stderr).toContain('PORT must be between 0 and 65535');
  });

  it('the migrate entry point needs only DATABASE_* and names what is wrong', () => {
    const { code, stderr } = boot('auth-api', { DATABASE_URL: 'mysql://x' }, 'migrate');
    expect(code).toBe(78);
    expect(stderr).toContain('DATABASE_URL must be a postgres:// URL');
    expect(stderr).not.toContain('REDIS_URL');
  });
});

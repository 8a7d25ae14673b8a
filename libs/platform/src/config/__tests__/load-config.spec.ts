import { z } from 'zod';
import {
  databaseConfigSchema,
  encryptionConfigSchema,
  opsCredentialsConfigSchema,
  redisConfigSchema,
  serviceConfigSchema,
} from '../config.schema';
import { ConfigValidationError, loadConfig, requiredVariables } from '../load-config';

const schema = z.object({
  ...serviceConfigSchema.shape,
  ...databaseConfigSchema.shape,
  ...redisConfigSchema.shape,
  ...opsCredentialsConfigSchema.shape,
  ...encryptionConfigSchema.shape,
});
const valid = {
  DATABASE_URL: 'postgres://u@db:5432/gauth',
  REDIS_URL: 'redis://redis:6379',
  ADMIN_USERNAME: 'ops',
  ADMIN_PASSWORD: 'secret',
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig('svc', schema, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return (error as ConfigValidationError).problems;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('loadConfig', () => {
  it('accepts a valid environment and applies defaults', () => {
    const config = loadConfig('svc', schema, valid);
    expect(config).toMatchObject({ PORT: 8080, MANAGEMENT_PORT: 9090, DATABASE_POOL_SIZE: 10, TRUST_PROXY: false });
    expect(config.LOG_REQUESTS).toBe('errors');
  });

  it.each([
    ['all', 'all'],
    ['errors', 'errors'],
    ['none', 'none'],
    ['true', 'all'],
    ['false', 'none'],
  ])('reads LOG_REQUESTS=%s as %s', (value, expected) => {
    expect(loadConfig('svc', schema, { ...valid, LOG_REQUESTS: value }).LOG_REQUESTS).toBe(expected);
  });

  it.each(requiredVariables(schema))('names %s when it is missing', (variable) => {
    expect(problemsOf({ ...valid, [variable]: undefined })).toEqual([`${variable} is required`]);
  });

  it('treats an empty value as missing', () => {
    expect(problemsOf({ ...valid, ADMIN_PASSWORD: '' })).toEqual(['ADMIN_PASSWORD is required']);
  });

  it.each([
    ['PORT', 'http', 'PORT must be a port number'],
    ['PORT', '70000', 'PORT must be between 0 and 65535'],
    ['DATABASE_URL', 'mysql://x/y', 'DATABASE_URL must be a postgres:// URL'],
    ['REDIS_URL', 'http://redis', 'REDIS_URL must be a redis://, rediss:// or memory:// URL'],
    ['REDIS_MODE', 'ring', 'REDIS_MODE'],
    ['REDIS_NODES', 'a:1,b', 'REDIS_NODES must be a comma-separated list of host:port'],
    ['TRUST_PROXY', 'maybe', 'TRUST_PROXY must be false, true, a hop count or comma-separated addresses/CIDRs'],
    ['TRUST_PROXY', '10.0.0.0/33', 'TRUST_PROXY must be false'],
    ['ENCRYPTION_KEY', 'c2hvcnQ=', 'ENCRYPTION_KEY must be 32 random bytes, base64-encoded'],
    ['DATABASE_SSL_MODE', 'prefer', 'DATABASE_SSL_MODE'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL'],
    ['LOG_REQUESTS', 'some', 'LOG_REQUESTS must be all, errors or none'],
  ])('names %s when it is malformed (%s)', (variable, value, message) => {
    const problems = problemsOf({ ...valid, [variable]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });

  it.each([
    ['false', false],
    ['true', true],
    ['1', 1],
    ['2', 2],
    ['0', false],
    ['10.0.0.0/8, 192.168.1.7', ['10.0.0.0/8', '192.168.1.7']],
    ['fd00::/8', ['fd00::/8']],
  ])('reads TRUST_PROXY=%s as a hop count, addresses or a boolean', (value, expected) => {
    expect(loadConfig('svc', schema, { ...valid, TRUST_PROXY: value }).TRUST_PROXY).toEqual(expected);
  });

  it('reports every problem at once', () => {
    expect(problemsOf({ PORT: 'x' })).toEqual(
      expect.arrayContaining([
        'PORT must be a port number',
        'DATABASE_URL is required',
        'REDIS_URL is required',
        'ADMIN_USERNAME is required',
        'ADMIN_PASSWORD is required',
        'ENCRYPTION_KEY is required',
      ]),
    );
  });
});

import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import { DataSource } from 'typeorm';
import {
  ContactCenterDomainEntity,
  ContactCenterEntity,
  dataSourceOptions,
  EnvironmentEntity,
  LocalUserEntity,
} from '@cxauth/persistence';
import { databaseConfigSchema } from '@cxauth/platform';
import type { AuthApiHandle } from './auth-api-target';

export interface LocalUser {
  username: string;
  password: string;
  description: string;
  /** The PHC string auth-api stored (its parameters are the configured argon2 cost). */
  passwordHash: string;
}

const TENANT = 'benchtenant';

function dataSource(databaseUrl: string): DataSource {
  return new DataSource(dataSourceOptions(databaseConfigSchema.parse({ DATABASE_URL: databaseUrl }), 1));
}

/**
 * A local-directory user the password grant verifies with argon2id. The environment, contact center
 * and login domain are rows environment-api owns; the benchmark writes them straight into its scratch
 * database (same entities), then creates the user through auth-api's ops API like an operator would.
 */
export async function provisionLocalUser(handle: AuthApiHandle, databaseUrl: string): Promise<LocalUser> {
  const source = await dataSource(databaseUrl).initialize();
  let contactCenterId: string;
  try {
    const environment = await source.getRepository(EnvironmentEntity).save({
      username: 'bench',
      passwordEncrypted: 'unused-by-the-benchmark',
      appName: 'bench',
      configServers: [],
    });
    const contactCenter = await source.getRepository(ContactCenterEntity).save({ environmentId: environment.id });
    contactCenterId = contactCenter.id;
    await source.getRepository(ContactCenterDomainEntity).save({ domain: TENANT, contactCenterId });
  } finally {
    await source.destroy();
  }
  const username = 'bench.agent';
  const password = randomBytes(15).toString('base64url');
  const response = await fetch(new URL('/auth/v3/ops/users', handle.baseUrl), {
    method: 'POST',
    headers: { authorization: handle.opsAuthorization, 'content-type': 'application/json' },
    body: JSON.stringify({ data: { contactCenterId, username, password, authorities: ['ROLE_AGENT'] } }),
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status !== 200 && response.status !== 201) {
    throw new Error(`POST /auth/v3/ops/users answered ${response.status}: ${await response.text()}`);
  }
  const check = await dataSource(databaseUrl).initialize();
  try {
    const stored = await check.getRepository(LocalUserEntity).findOneByOrFail({ contactCenterId, username });
    const params = /^\$argon2id\$v=\d+\$([^$]+)\$/.exec(stored.passwordHash)?.[1] ?? 'unknown parameters';
    return {
      username: `${TENANT}\\${username}`,
      password,
      passwordHash: stored.passwordHash,
      description: `local directory user ${TENANT}\\${username} (argon2id ${params})`,
    };
  } finally {
    await check.destroy();
  }
}

/** Sequential argon2id verifications of the stored hash on this thread: the per-core ceiling of logins/s. */
export async function argon2VerifiesPerSecond(hash: string, password: string, seconds = 3): Promise<number> {
  const started = process.hrtime.bigint();
  const limit = BigInt(Math.round(seconds * 1e9));
  let count = 0;
  while (process.hrtime.bigint() - started < limit) {
    if (!(await verify(hash, password))) throw new Error('argon2 verify of the bench user failed');
    count++;
  }
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

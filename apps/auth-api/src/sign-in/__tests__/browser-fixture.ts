import { randomUUID } from 'node:crypto';
import supertest from 'supertest';
import type { TestApp, TestDatabase } from '@cxauth/testing';
import { OPS } from '../../testing/auth-api-test-app';

/** A contact center with one login domain, written straight into environment-api's tables. */
export async function seedTenant(database: TestDatabase, domain: string, auth = 'local'): Promise<string> {
  const environmentId = randomUUID();
  const contactCenterId = randomUUID();
  await database.query(
    `INSERT INTO environment (id, username, password_encrypted, app_name, config_servers) VALUES ($1, 'default', 'x', 'Cloud', '[]')`,
    [environmentId],
  );
  await database.query(`INSERT INTO contact_center (id, environment_id, auth) VALUES ($1, $2, $3)`, [
    contactCenterId,
    environmentId,
    auth,
  ]);
  await database.query(`INSERT INTO contact_center_domain (domain, contact_center_id) VALUES ($1, $2)`, [
    domain.toLowerCase(),
    contactCenterId,
  ]);
  return contactCenterId;
}

/** A local user through the ops API. */
export async function seedUser(
  app: TestApp,
  contactCenterId: string,
  username: string,
  password: string,
): Promise<void> {
  const response = await app
    .http()
    .post('/auth/v3/ops/users')
    .auth(OPS.username, OPS.password)
    .send({ data: { contactCenterId, username, password, firstName: 'Ada', lastName: 'Agent' } });
  if (response.status !== 200)
    throw new Error(`create user failed: ${response.status} ${JSON.stringify(response.body)}`);
}

/** The `request` reference from a Location pointing at the sign-in page. */
export function referenceFrom(location: string): string {
  const reference = new URL(location, 'http://x').searchParams.get('request');
  if (!reference) throw new Error(`no request reference in ${location}`);
  return reference;
}

/** Set-Cookie lines of a response, by cookie name. */
export function cookiesOf(response: supertest.Response): Map<string, string> {
  const raw = response.headers['set-cookie'] as unknown as string[] | string | undefined;
  const lines = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return new Map(lines.map((line) => [line.slice(0, line.indexOf('=')), line]));
}

export function cookieValue(line: string | undefined): string {
  if (!line) throw new Error('cookie missing');
  return line.slice(line.indexOf('=') + 1, line.indexOf(';'));
}

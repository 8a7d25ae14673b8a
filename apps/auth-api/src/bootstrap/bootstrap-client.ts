import type { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { OAuthClientEntity } from '@cxauth/persistence';
import { isBcryptHash } from '@cxauth/platform';
import type { Argon2Gate } from '../crypto/argon2-gate';
import { effectiveGrantTypes, GRANT_TYPES } from '@cxauth/domain';

export interface BootstrapClient {
  clientId: string;
  /** Plain or bcrypt. */
  secret: string;
  redirectUris: string[];
}

export type BootstrapClientOutcome = 'created' | 'secret-updated' | 'unchanged';

/** What a stored hash becomes for this configured secret: a bcrypt value is kept as it is. */
async function secretHashFor(secret: string, argon2: Argon2Gate): Promise<string> {
  return isBcryptHash(secret) ? secret : argon2.hash(secret);
}

async function storedHashMatches(stored: string | null, secret: string, argon2: Argon2Gate): Promise<boolean> {
  if (!stored) return false;
  if (isBcryptHash(secret)) return stored === secret;
  return argon2.verify(stored, secret).catch(() => false);
}

/**
 * The chart's client (the product pre-creates one for GWS): created at the first install, its secret
 * reset to the configured one at every upgrade; everything else about it stays as operators edited it
 * through /auth/v3/ops/clients. Runs in one transaction with the row locked.
 */
export async function ensureBootstrapClient(
  dataSource: DataSource,
  client: BootstrapClient,
  argon2: Argon2Gate,
): Promise<BootstrapClientOutcome> {
  return dataSource.transaction(async (manager) => {
    const repository = manager.getRepository(OAuthClientEntity);
    const existing = await repository.findOne({
      where: { clientId: client.clientId },
      lock: { mode: 'pessimistic_write' },
    });
    if (existing) {
      if (await storedHashMatches(existing.secretHash, client.secret, argon2)) return 'unchanged';
      await repository.update(
        { clientId: client.clientId },
        { secretHash: await secretHashFor(client.secret, argon2) },
      );
      return 'secret-updated';
    }
    const grants: string[] = [GRANT_TYPES.CLIENT_CREDENTIALS, GRANT_TYPES.PASSWORD, GRANT_TYPES.REFRESH_TOKEN];
    if (client.redirectUris.length > 0) grants.push(GRANT_TYPES.AUTHORIZATION_CODE);
    const entity: QueryDeepPartialEntity<OAuthClientEntity> = {
      clientId: client.clientId,
      name: client.clientId,
      description: 'created by the Helm chart (services.secret.client_id)',
      clientType: 'CONFIDENTIAL',
      internalClient: true,
      secretHash: await secretHashFor(client.secret, argon2),
      authorities: ['ROLE_INTERNAL_CLIENT'],
      scope: ['*'],
      authorizedGrantTypes: effectiveGrantTypes(grants, true),
      redirectUris: client.redirectUris,
      accessTokenValidity: 43200,
      refreshTokenValidity: 43200,
      contactCenterIds: [],
      tokenFormat: 'opaque',
      // The product's GWS client, which sends no PKCE: not PKCE_REQUIRED_FOR_NEW_CLIENTS (operators may
      // set requirePkce through /auth/v3/ops/clients once their applications send it).
      requirePkce: false,
    };
    await repository.insert(entity);
    return 'created';
  });
}

import { effectiveGrantTypes, type RegisteredClient } from '@cxauth/domain';
import type { OAuthClientEntity } from '@cxauth/persistence';

/** The stored client row → the immutable snapshot the token service caches. */
export function toRegisteredClient(entity: OAuthClientEntity): RegisteredClient {
  return {
    clientId: entity.clientId,
    name: entity.name,
    description: entity.description,
    clientType: entity.clientType === 'PUBLIC' ? 'PUBLIC' : 'CONFIDENTIAL',
    internalClient: entity.internalClient,
    secretHash: entity.secretHash,
    authorities: [...entity.authorities],
    scope: [...entity.scope],
    authorizedGrantTypes: effectiveGrantTypes(entity.authorizedGrantTypes, false),
    redirectUris: [...entity.redirectUris],
    accessTokenValidity: entity.accessTokenValidity,
    refreshTokenValidity: entity.refreshTokenValidity,
    contactCenterIds: [...entity.contactCenterIds],
    tokenFormat: entity.tokenFormat === 'jwt' ? 'jwt' : 'opaque',
    jwks: entity.jwks,
    jwksUri: entity.jwksUri,
    tokenExchange: entity.tokenExchange,
    requirePkce: entity.requirePkce,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

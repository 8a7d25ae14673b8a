import type { OAuthClientEntity } from '@cxauth/persistence';

export const GRANT_TYPES = {
  REFRESH_TOKEN: 'refresh_token',
  CLIENT_CREDENTIALS: 'client_credentials',
  PASSWORD: 'password',
  AUTHORIZATION_CODE: 'authorization_code',
  IMPLICIT: 'implicit',
  TOKEN_EXCHANGE: 'urn:ietf:params:oauth:grant-type:token-exchange',
  JWT_BEARER: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
} as const;

export type GrantType = (typeof GRANT_TYPES)[keyof typeof GRANT_TYPES];

/** The order the product lists grant types in (seed 001 create answer); we always answer in this order. */
export const GRANT_TYPE_ORDER: readonly GrantType[] = [
  GRANT_TYPES.REFRESH_TOKEN,
  GRANT_TYPES.CLIENT_CREDENTIALS,
  GRANT_TYPES.PASSWORD,
  GRANT_TYPES.AUTHORIZATION_CODE,
  GRANT_TYPES.IMPLICIT,
  GRANT_TYPES.TOKEN_EXCHANGE,
  GRANT_TYPES.JWT_BEARER,
];

/**
 * Internal clients (`internalClient: true`) are service clients: like the product (seed 001 answers six
 * grant types for a request of four), they also get token exchange and jwt-bearer.
 */
export function effectiveGrantTypes(requested: readonly string[], internalClient: boolean): GrantType[] {
  const set = new Set<string>(requested);
  if (internalClient) {
    set.add(GRANT_TYPES.TOKEN_EXCHANGE);
    set.add(GRANT_TYPES.JWT_BEARER);
  }
  return GRANT_TYPE_ORDER.filter((grant) => set.has(grant));
}

export type ClientType = 'CONFIDENTIAL' | 'PUBLIC';
export type TokenFormat = 'opaque' | 'jwt';

/** A client as the token service uses it (immutable snapshot, cached in memory). */
export interface RegisteredClient {
  clientId: string;
  name: string;
  description: string | null;
  clientType: ClientType;
  internalClient: boolean;
  /** argon2id hash; null for PUBLIC clients. */
  secretHash: string | null;
  authorities: string[];
  scope: string[];
  authorizedGrantTypes: GrantType[];
  redirectUris: string[];
  accessTokenValidity: number;
  refreshTokenValidity: number;
  contactCenterIds: string[];
  tokenFormat: TokenFormat;
  jwks: { keys: Record<string, unknown>[] } | null;
  jwksUri: string | null;
  createdAt: Date;
  updatedAt: Date;
}

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
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

export function allowsGrant(client: RegisteredClient, grant: string): boolean {
  return (client.authorizedGrantTypes as string[]).includes(grant);
}

/** The wire shape of a client in the ops API (never a secret). Field order follows the product. */
export function clientView(client: RegisteredClient): Record<string, unknown> {
  const view: Record<string, unknown> = {
    clientType: client.clientType,
    scope: client.scope,
    internalClient: client.internalClient,
    authorizedGrantTypes: client.authorizedGrantTypes,
    authorities: client.authorities,
    redirectURIs: client.redirectUris,
    accessTokenExpirationTimeout: client.accessTokenValidity,
    refreshTokenExpirationTimeout: client.refreshTokenValidity,
    createdAt: client.createdAt.getTime(),
    name: client.name,
    client_id: client.clientId,
  };
  if (client.description !== null) view.description = client.description;
  view.contactCenterIds = client.contactCenterIds;
  view.tokenFormat = client.tokenFormat;
  if (client.jwks) view.jwks = client.jwks;
  if (client.jwksUri) view.jwksUri = client.jwksUri;
  view.updatedAt = client.updatedAt.getTime();
  return view;
}

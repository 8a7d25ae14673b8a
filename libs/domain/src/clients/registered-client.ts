import type { GrantType } from '../oauth/grant-types';
import type { TokenExchangePolicy } from './token-exchange-policy';

export type ClientType = 'CONFIDENTIAL' | 'PUBLIC';
export type TokenFormat = 'opaque' | 'jwt';

/** A public JWK set registered on a client (jwt-bearer assertions). */
export interface ClientJwks {
  keys: Record<string, unknown>[];
}

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
  jwks: ClientJwks | null;
  jwksUri: string | null;
  /** RFC 8693 exchange policy; null = the default (DEFAULT_TOKEN_EXCHANGE_POLICY). */
  tokenExchange: TokenExchangePolicy | null;
  /** Stored setting: code requests must carry PKCE. PUBLIC clients always must (see requiresPkce). */
  requirePkce: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** PKCE (RFC 7636) is required of PUBLIC clients always, of confidential ones when set on the client. */
export function requiresPkce(client: Pick<RegisteredClient, 'clientType' | 'requirePkce'>): boolean {
  return client.clientType === 'PUBLIC' || client.requirePkce;
}

export function allowsGrant(client: Pick<RegisteredClient, 'authorizedGrantTypes'>, grant: string): boolean {
  return (client.authorizedGrantTypes as string[]).includes(grant);
}

/**
 * Tenant binding: a client bound to contact centers (`contactCenterIds`) serves only their users (the
 * ops user belongs to none); an unbound client serves everyone.
 */
export function clientServesUser(
  client: Pick<RegisteredClient, 'contactCenterIds'>,
  user: { contactCenterId?: string | null },
): boolean {
  if (client.contactCenterIds.length === 0) return true;
  return typeof user.contactCenterId === 'string' && client.contactCenterIds.includes(user.contactCenterId);
}

/**
 * jwt-bearer (RFC 7523) user subjects: holding a signing key must not make a client anyone. A client
 * may assert only users of the contact centers it is bound to — so an unbound client asserts no user,
 * and the ops user (of no contact center) is never a jwt-bearer subject.
 */
export function mayAssertUser(
  client: Pick<RegisteredClient, 'contactCenterIds'>,
  user: { contactCenterId?: string | null },
): boolean {
  return client.contactCenterIds.length > 0 && clientServesUser(client, user);
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
  if (client.tokenExchange) view.tokenExchange = client.tokenExchange;
  view.requirePkce = requiresPkce(client);
  view.updatedAt = client.updatedAt.getTime();
  return view;
}

import { GRANT_TYPES } from '../oauth/grant-types';
import { UnauthorizedClient } from '../oauth/oauth-error';
import { allowsGrant, type RegisteredClient } from './registered-client';

/** How the client proved who it is at the token endpoint. */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none' | 'jwt-bearer-assertion';

/** Grants only a client that proved a credential may use (also when an older registration lists them). */
const CONFIDENTIAL_GRANTS: ReadonlySet<string> = new Set([
  GRANT_TYPES.CLIENT_CREDENTIALS,
  GRANT_TYPES.PASSWORD,
  GRANT_TYPES.TOKEN_EXCHANGE,
]);

/**
 * Whether a client, authenticated as it was, may use a grant type: it must be registered for it, and
 * client_credentials, password and token exchange need a confidential client that proved its secret.
 * Throws unauthorized_client.
 */
export function assertGrantEligible(client: RegisteredClient, grantType: string, method: ClientAuthMethod): void {
  if (!allowsGrant(client, grantType)) throw new UnauthorizedClient(`The client may not use the ${grantType} grant`);
  if (CONFIDENTIAL_GRANTS.has(grantType) && (method === 'none' || client.clientType !== 'CONFIDENTIAL')) {
    throw new UnauthorizedClient(`${grantType} needs a confidential client`);
  }
}

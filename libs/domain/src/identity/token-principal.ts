import type { DirectoryUser } from '../ports/user-directory.port';
import type { AccessTokenRecord } from '../tokens/token-records';

/** Who a valid access token speaks for; what bearer-protected handlers receive. */
export interface TokenPrincipal {
  clientId: string;
  /** The user id, or the client id for client_credentials tokens. */
  subject: string;
  scope: string;
  authorities: string[];
  /** Present when a user (not only a client) is behind the token. */
  user?: DirectoryUser;
  /** Epoch seconds. */
  expiresAt: number;
}

export function toPrincipal(record: AccessTokenRecord): TokenPrincipal {
  const principal: TokenPrincipal = {
    clientId: record.clientId,
    subject: record.subject,
    scope: record.scope,
    authorities: record.authorities,
    expiresAt: record.expiresAt,
  };
  if (record.user) principal.user = record.user;
  return principal;
}

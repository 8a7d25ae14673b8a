import type { DirectoryUser } from '../ports/user-directory.port';

/** RFC 8693 `act`: who acts for the subject of a delegated token. */
export interface ActorClaim {
  sub: string;
  client_id?: string;
}

/** What an access token (opaque or JWT) stands for. Stored under a hash of the token, never the token. */
export interface AccessTokenRecord {
  clientId: string;
  /** Subject: a user id, or the client id for client_credentials. */
  subject: string;
  scope: string;
  authorities: string[];
  /** Epoch seconds. */
  issuedAt: number;
  expiresAt: number;
  /** Unique id of the token (the JWT's `jti`). */
  jti: string;
  /** Present when a user (not only a client) is behind the token. */
  user?: DirectoryUser;
  /** Refresh-token family the token was minted with, so a family revocation reaches it. */
  familyId?: string;
  /** Token exchange `audience`/`resource`. */
  audience?: string[];
  act?: ActorClaim;
  /** Epoch seconds of the user's sign-in. */
  authTime?: number;
}

/** What a refresh token carries forward to the access tokens minted from it. */
export interface RefreshGrant {
  subject: string;
  scope: string;
  authorities: string[];
  user?: DirectoryUser;
  authTime?: number;
  audience?: string[];
}

/** The RFC 6749 §5.1 answer (plus `id_token` for OpenID Connect and `issued_token_type` for RFC 8693). */
export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token?: string;
  scope: string;
  id_token?: string;
  issued_token_type?: string;
}

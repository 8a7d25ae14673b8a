import type { AccessTokenRecord } from '../tokens/token-records';

/**
 * Port for access-token state (opaque and JWT access tokens alike), keyed by a hash of the token.
 * Redis in production. Indexes by user and by refresh-token family make "sign out everywhere" and
 * family revocation one read each.
 */
export interface TokenStore {
  save(tokenHash: string, record: AccessTokenRecord, ttlSeconds: number): Promise<void>;
  find(tokenHash: string): Promise<AccessTokenRecord | null>;
  revoke(tokenHash: string): Promise<void>;
  /** Every live access token of a user; the number revoked. */
  revokeAllForSubject(subject: string): Promise<number>;
  /**
   * Epoch seconds of the subject's last revokeAllForSubject, or null: the cut-off for the tokens the
   * store holds no record of (id tokens presented to token exchange).
   */
  subjectRevokedAt(subject: string): Promise<number | null>;
  /** Notes an id token (by its `jti`) as revoked for `ttlSeconds` (the rest of its lifetime). */
  revokeIdToken(jti: string, ttlSeconds: number): Promise<void>;
  idTokenRevoked(jti: string): Promise<boolean>;
  /** Every live access token minted with a refresh-token family; the number revoked. */
  revokeFamily(familyId: string): Promise<number>;
  /**
   * Notes that a refresh token's rotation may have committed without its answer reaching the client
   * (the database connection failed during the commit), for `ttlSeconds`.
   */
  markUndeliveredRotation(refreshTokenHash: string, ttlSeconds: number): Promise<void>;
  /** Whether such a note exists, removing it (true for one caller only). */
  takeUndeliveredRotation(refreshTokenHash: string): Promise<boolean>;
}

export const TOKEN_STORE = Symbol('TOKEN_STORE');

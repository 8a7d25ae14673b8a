/** What an opaque access token stands for. Stored under a hash of the token, never the token. */
export interface AccessTokenRecord {
  clientId: string;
  /** Subject: a user id, or the client id for client_credentials. */
  subject: string;
  scope: string;
  authorities: string[];
  /** Epoch seconds. */
  issuedAt: number;
  expiresAt: number;
  user?: unknown;
  /** Refresh-token family the token was minted with, so a family revocation reaches it. */
  familyId?: string;
  [extra: string]: unknown;
}

/** Port for short-lived token state (opaque access tokens). Redis in production. */
export interface TokenStore {
  save(tokenHash: string, record: AccessTokenRecord, ttlSeconds: number): Promise<void>;
  find(tokenHash: string): Promise<AccessTokenRecord | null>;
  revoke(tokenHash: string): Promise<void>;
  revokeAllForSubject(subject: string): Promise<number>;
}

export const TOKEN_STORE = Symbol('TOKEN_STORE');

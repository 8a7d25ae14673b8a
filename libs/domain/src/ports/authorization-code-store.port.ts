import type { DirectoryUser } from './user-directory.port';
import type { PkceMethod } from '../oauth/pkce';

/** What an authorization code stands for (minted by the browser sign-in, redeemed at the token endpoint). */
export interface AuthorizationCodeRecord {
  clientId: string;
  /** Exactly the redirect_uri of the authorization request; the token request must repeat it. */
  redirectUri: string;
  /** PKCE (RFC 7636), S256 only. Required for PUBLIC clients. */
  codeChallenge?: string;
  codeChallengeMethod?: PkceMethod;
  scope: string;
  nonce?: string;
  user: DirectoryUser;
  /** Epoch seconds of the sign-in. */
  authTime: number;
  sessionId?: string;
}

/** A code as stored: the record plus its absolute expiry (epoch seconds). */
export interface StoredAuthorizationCode {
  record: AuthorizationCodeRecord;
  expiresAt: number;
}

/** A code that was redeemed before, with the refresh-token family its first redemption issued. */
export interface ReplayedAuthorizationCode {
  replayed: true;
  familyId?: string;
}

/**
 * Port for authorization codes: 60 s, single use. `peek` reads without using up (the grant checks
 * expiry, PKCE and redirect_uri first); `consume` returns the record once; a second `consume` of the
 * same code answers `{ replayed: true }` so the grant can revoke what the first issued.
 */
export interface AuthorizationCodeStore {
  issue(record: AuthorizationCodeRecord): Promise<string>;
  peek(code: string): Promise<StoredAuthorizationCode | ReplayedAuthorizationCode | null>;
  consume(code: string): Promise<{ record: AuthorizationCodeRecord } | ReplayedAuthorizationCode | null>;
  /** Remembers what the first redemption issued (refresh-token family), for replay revocation. */
  recordRedemption(code: string, familyId: string): Promise<void>;
}

export const AUTHORIZATION_CODE_STORE = Symbol('AUTHORIZATION_CODE_STORE');
export const AUTHORIZATION_CODE_TTL_SECONDS = 60;

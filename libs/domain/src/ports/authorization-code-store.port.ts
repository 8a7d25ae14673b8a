import type { DirectoryUser } from './user-directory.port';

/** What an authorization code stands for (minted by the browser sign-in, redeemed at the token endpoint). */
export interface AuthorizationCodeRecord {
  clientId: string;
  /** Exactly the redirect_uri of the authorization request; the token request must repeat it. */
  redirectUri: string;
  /** PKCE (RFC 7636), S256 only. Required for PUBLIC clients. */
  codeChallenge?: string;
  codeChallengeMethod?: 'S256';
  scope: string;
  nonce?: string;
  user: DirectoryUser;
  /** Epoch seconds of the sign-in. */
  authTime: number;
  sessionId?: string;
}

/**
 * Port for authorization codes: 60 s, single use. `consume` returns the record once; a second
 * `consume` of the same code returns `{ replayed: true }` so the grant can revoke what the first issued.
 */
export interface AuthorizationCodeStore {
  issue(record: AuthorizationCodeRecord): Promise<string>;
  consume(code: string): Promise<{ record: AuthorizationCodeRecord } | { replayed: true; familyId?: string } | null>;
  /** Remembers what the first redemption issued (refresh-token family), for replay revocation. */
  recordRedemption(code: string, familyId: string): Promise<void>;
}

export const AUTHORIZATION_CODE_STORE = Symbol('AUTHORIZATION_CODE_STORE');
export const AUTHORIZATION_CODE_TTL_SECONDS = 60;

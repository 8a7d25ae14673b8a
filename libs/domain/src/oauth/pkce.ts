import { hash } from 'node:crypto';
import { constantTimeEquals } from '../security/constant-time';
import { InvalidGrant, InvalidRequest } from './oauth-error';

/** RFC 7636 §4.1: 43–128 unreserved characters. */
export const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** An S256 challenge: base64url of a SHA-256 digest, 43 characters. */
export const CODE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export type PkceMethod = 'S256';

export function s256Challenge(verifier: string): string {
  return hash('sha256', verifier, 'base64url');
}

/**
 * The token-endpoint half of PKCE (RFC 7636 §4.6), S256 only. `required` is true for clients that must
 * use PKCE (PUBLIC clients). Throws invalid_request / invalid_grant as RFC 7636 says.
 */
export function verifyPkce(challenge: string | undefined, verifier: string | undefined, required: boolean): void {
  if (!challenge) {
    if (required) throw new InvalidGrant('PKCE is required for public clients');
    if (verifier !== undefined) {
      throw new InvalidGrant('code_verifier given but the authorization request had no code_challenge');
    }
    return;
  }
  if (verifier === undefined) throw new InvalidRequest('code_verifier is required');
  if (!CODE_VERIFIER.test(verifier)) throw new InvalidGrant('Invalid code_verifier');
  if (!constantTimeEquals(s256Challenge(verifier), challenge)) throw new InvalidGrant('PKCE verification failed');
}

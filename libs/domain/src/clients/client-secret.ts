/**
 * Below this many characters a client secret is weak. Generated secrets are 43 characters
 * (256 bits); the vendor's installer scripts send `"secret"`.
 */
export const STRONG_CLIENT_SECRET_LENGTH = 16;

/**
 * `refused` below the operator's minimum (0: none, the product's behaviour); `weak` is accepted but
 * reported; `strong` otherwise.
 */
export type ClientSecretVerdict = 'refused' | 'weak' | 'strong';

export function judgeClientSecret(secret: string, minimumLength: number): ClientSecretVerdict {
  if (secret.length < minimumLength) return 'refused';
  return secret.length < STRONG_CLIENT_SECRET_LENGTH ? 'weak' : 'strong';
}

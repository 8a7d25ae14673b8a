import { InvalidGrant, InvalidRequest } from '../oauth-error';
import { CODE_CHALLENGE, s256Challenge, verifyPkce } from '../pkce';

// RFC 7636 appendix B.
const RFC_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('PKCE (RFC 7636, S256)', () => {
  it('computes the RFC 7636 appendix B challenge', () => {
    expect(s256Challenge(RFC_VERIFIER)).toBe(RFC_CHALLENGE);
    expect(CODE_CHALLENGE.test(RFC_CHALLENGE)).toBe(true);
  });

  it.each<[string, string | undefined, string | undefined, boolean]>([
    ['a matching verifier', RFC_CHALLENGE, RFC_VERIFIER, false],
    ['a matching verifier for a public client', RFC_CHALLENGE, RFC_VERIFIER, true],
    ['no challenge and no verifier (confidential client)', undefined, undefined, false],
  ])('accepts %s', (_case, challenge, verifier, required) => {
    expect(() => verifyPkce(challenge, verifier, required)).not.toThrow();
  });

  it.each<[string, string | undefined, string | undefined, boolean, new (message: string) => Error, RegExp]>([
    ['no challenge for a public client', undefined, RFC_VERIFIER, true, InvalidGrant, /required for public clients/],
    ['a verifier without a challenge', undefined, RFC_VERIFIER, false, InvalidGrant, /no code_challenge/],
    ['a challenge without a verifier', RFC_CHALLENGE, undefined, false, InvalidRequest, /code_verifier is required/],
    [
      'a verifier shorter than 43 characters',
      RFC_CHALLENGE,
      'a'.repeat(42),
      false,
      InvalidGrant,
      /Invalid code_verifier/,
    ],
    [
      'a verifier longer than 128 characters',
      RFC_CHALLENGE,
      'a'.repeat(129),
      false,
      InvalidGrant,
      /Invalid code_verifier/,
    ],
    [
      'a verifier with a forbidden character',
      RFC_CHALLENGE,
      `${'a'.repeat(42)}+`,
      false,
      InvalidGrant,
      /Invalid code_verifier/,
    ],
    ['another verifier', RFC_CHALLENGE, 'b'.repeat(43), false, InvalidGrant, /PKCE verification failed/],
  ])('refuses %s', (_case, challenge, verifier, required, type, message) => {
    expect(() => verifyPkce(challenge, verifier, required)).toThrow(type);
    expect(() => verifyPkce(challenge, verifier, required)).toThrow(message);
  });
});

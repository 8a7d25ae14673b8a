import { DomainException } from '../errors/domain.exception';

/**
 * The local directory's password rules (docs/users.md "Password policy"), after NIST SP 800-63B:
 * length over composition, no reuse of the user name, and a refusal of the most common passwords.
 */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

const COMMON_PASSWORDS = new Set([
  '12345678',
  '123456789',
  '1234567890',
  '87654321',
  '11111111',
  '00000000',
  'password',
  'password1',
  'password123',
  'passw0rd',
  'qwertyui',
  'qwerty123',
  'qwertyuiop',
  'iloveyou',
  'abc12345',
  'abcd1234',
  'letmein1',
  'welcome1',
  'welcome123',
  'changeme',
  'admin123',
  'administrator',
  'sunshine',
  'football',
  'baseball',
  'trustno1',
]);

/** The rules of the policy, by stable code (the sign-in pages list the broken ones in the user's language). */
export type PasswordRule = 'min_length' | 'max_length' | 'not_blank' | 'not_user_name' | 'not_common';

const RULE_MESSAGES: Record<PasswordRule, string> = {
  min_length: `must be at least ${PASSWORD_MIN_LENGTH} characters`,
  max_length: `must be at most ${PASSWORD_MAX_LENGTH} characters`,
  not_blank: 'must not be only whitespace',
  not_user_name: 'must not equal the user name',
  not_common: 'is too common',
};

/** The rules a password breaks, or an empty list when it is acceptable. */
export function brokenPasswordRules(password: string, username?: string): PasswordRule[] {
  const broken: PasswordRule[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) broken.push('min_length');
  if (length > PASSWORD_MAX_LENGTH) broken.push('max_length');
  if (password.trim().length === 0) broken.push('not_blank');
  if (username && password.toLowerCase() === username.toLowerCase()) broken.push('not_user_name');
  if (COMMON_PASSWORDS.has(password.toLowerCase())) broken.push('not_common');
  return broken;
}

/** The reasons a password is refused, or an empty list when it is acceptable. */
export function passwordPolicyProblems(password: string, username?: string): string[] {
  return brokenPasswordRules(password, username).map((rule) => RULE_MESSAGES[rule]);
}

/** Throws VALIDATION_FAILED (400) naming the field when the password breaks the policy. */
export function assertPasswordPolicy(password: string, username: string | undefined, field: string): void {
  const problems = passwordPolicyProblems(password, username);
  if (problems.length === 0) return;
  const errors = problems.map((message) => ({ field, message }));
  throw new DomainException('VALIDATION_FAILED', errors.map((error) => `${error.field}: ${error.message}`).join('; '), {
    errors,
  });
}

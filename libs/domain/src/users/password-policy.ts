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

/** The reasons a password is refused, or an empty list when it is acceptable. */
export function passwordPolicyProblems(password: string, username?: string): string[] {
  const problems: string[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters`);
  if (length > PASSWORD_MAX_LENGTH) problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters`);
  if (password.trim().length === 0) problems.push('must not be only whitespace');
  if (username && password.toLowerCase() === username.toLowerCase()) problems.push('must not equal the user name');
  if (COMMON_PASSWORDS.has(password.toLowerCase())) problems.push('is too common');
  return problems;
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

import { DomainException } from '../../errors/domain.exception';
import {
  assertPasswordPolicy,
  passwordPolicyProblems,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
} from '../password-policy';

describe('password policy', () => {
  it('accepts a long enough, uncommon password', () => {
    expect(passwordPolicyProblems('correct horse battery', 'agent1')).toEqual([]);
    expect(passwordPolicyProblems('x'.repeat(PASSWORD_MIN_LENGTH))).toEqual([]);
    expect(passwordPolicyProblems('é'.repeat(PASSWORD_MAX_LENGTH))).toEqual([]);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(passwordPolicyProblems('😀'.repeat(7))).toEqual([`must be at least ${PASSWORD_MIN_LENGTH} characters`]);
    expect(passwordPolicyProblems('😀'.repeat(8))).toEqual([]);
  });

  it('refuses short, long, blank, user-name and common passwords', () => {
    expect(passwordPolicyProblems('1234567')).toContain('must be at least 8 characters');
    expect(passwordPolicyProblems('x'.repeat(PASSWORD_MAX_LENGTH + 1))).toContain('must be at most 256 characters');
    expect(passwordPolicyProblems('         ')).toContain('must not be only whitespace');
    expect(passwordPolicyProblems('Agent1234', 'agent1234')).toContain('must not equal the user name');
    expect(passwordPolicyProblems('PassWord123')).toContain('is too common');
  });

  it('throws VALIDATION_FAILED naming the field', () => {
    expect.assertions(4);
    try {
      assertPasswordPolicy('short', 'u', 'data.newPassword');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainException);
      expect((error as DomainException).code).toBe('VALIDATION_FAILED');
      expect((error as DomainException).httpStatus).toBe(400);
      expect((error as DomainException).detail).toEqual({
        errors: [{ field: 'data.newPassword', message: 'must be at least 8 characters' }],
      });
    }
  });
});

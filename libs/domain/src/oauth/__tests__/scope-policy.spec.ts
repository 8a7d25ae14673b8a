import { InvalidScope } from '../oauth-error';
import { narrowScope, resolveScope, scopeIncludes, splitScope } from '../scope-policy';

describe('scope policy (token and authorization endpoints alike)', () => {
  it.each<[string, string[], string | undefined, string]>([
    ['no scope asked: the registered scopes', ['read', 'write'], undefined, 'read write'],
    ['blank scope asked: the registered scopes', ['read'], '  ', 'read'],
    ['no scope registered and none asked: *', [], undefined, '*'],
    ['a registered scope', ['read', 'write'], 'write', 'write'],
    ['any scope when * is registered', ['*'], 'anything at:all', 'anything at:all'],
    ['* itself when * is registered', ['*'], '*', '*'],
    [
      'OpenID Connect scopes for every client',
      ['read'],
      'openid profile email offline_access',
      'openid profile email offline_access',
    ],
    ['duplicates once, in order', ['read', 'write'], 'write read write', 'write read'],
    ['extra spaces ignored', ['read'], '  read   openid ', 'read openid'],
  ])('grants %s', (_case, registered, requested, granted) => {
    expect(resolveScope(registered, requested)).toBe(granted);
  });

  it.each<[string, string[], string, RegExp]>([
    ['an unregistered scope', ['read'], 'read admin', /not allowed for this client: admin/],
    ['* when only named scopes are registered', ['read'], '*', /not allowed for this client: \*/],
    ['a value with a backslash', ['*'], 'a\\b', /Malformed/],
    ['a value with a double quote', ['*'], 'a"b', /Malformed/],
    ['a control character', ['*'], 'a\u0001b', /Malformed/],
  ])('refuses %s with invalid_scope', (_case, registered, requested, message) => {
    expect(() => resolveScope(registered, requested)).toThrow(InvalidScope);
    expect(() => resolveScope(registered, requested)).toThrow(message);
  });

  it.each<[string, string, string | undefined, string]>([
    ['keeps the grant when nothing is asked', 'read write', undefined, 'read write'],
    ['narrows to a subset', 'read write', 'write', 'write'],
    ['narrows a * grant to anything', '*', 'read', 'read'],
  ])('refresh and exchange: %s', (_case, original, requested, result) => {
    expect(narrowScope(original, requested)).toBe(result);
  });

  it('refuses to widen a grant on refresh or exchange', () => {
    expect(() => narrowScope('read', 'read write')).toThrow(/exceeds the original grant/);
    expect(() => narrowScope('read', '*')).toThrow(InvalidScope);
  });

  it('splits and tests scope strings', () => {
    expect(splitScope(' a  b ')).toEqual(['a', 'b']);
    expect(scopeIncludes('openid profile', 'openid')).toBe(true);
    expect(scopeIncludes('openidx', 'openid')).toBe(false);
  });
});

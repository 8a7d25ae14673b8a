import { judgeClientSecret } from '../client-secret';

describe('judgeClientSecret', () => {
  it.each([
    ['secret', 0, 'weak'],
    ['x', 0, 'weak'],
    ['fifteen-chars-x', 0, 'weak'],
    ['sixteen-chars-xy', 0, 'strong'],
    ['secret', 8, 'refused'],
    ['12345678', 8, 'weak'],
    ['sixteen-chars-xy', 20, 'refused'],
    ['a-generated-43-character-secret-abcdefghij', 32, 'strong'],
  ] as const)('%j with minimum %d is %s', (secret, minimum, verdict) => {
    expect(judgeClientSecret(secret, minimum)).toBe(verdict);
  });
});

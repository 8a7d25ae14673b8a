import { randomToken } from '../random-token';

describe('randomToken', () => {
  it('gives 256-bit base64url values, all distinct across several pool refills', () => {
    const tokens = Array.from({ length: 1000 }, () => randomToken());
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(tokens[0]!, 'base64url')).toHaveLength(32);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('never hands out an all-zero value (a used slice is zeroed, never reused)', () => {
    const zero = Buffer.alloc(32).toString('base64url');
    for (let index = 0; index < 600; index++) expect(randomToken()).not.toBe(zero);
  });
});

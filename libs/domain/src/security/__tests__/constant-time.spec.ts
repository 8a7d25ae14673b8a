import { constantTimeEquals, digestsEqual, secretDigest, sha256Hex } from '../constant-time';

describe('constant-time comparisons', () => {
  it.each([
    ['equal strings', 'secret', 'secret', true],
    ['different strings', 'secret', 'Secret', false],
    ['different lengths', 'secret', 'secret!', false],
    ['empty and not', '', 'x', false],
    ['unicode', 'pässwörd', 'pässwörd', true],
  ])('%s', (_case, a, b, equal) => {
    expect(constantTimeEquals(a, b)).toBe(equal);
  });

  it('compares digests, and hashes with SHA-256', () => {
    expect(digestsEqual(secretDigest('a'), secretDigest('a'))).toBe(true);
    expect(digestsEqual(secretDigest('a'), Buffer.alloc(31))).toBe(false);
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

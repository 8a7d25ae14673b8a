import { createCipheriv, randomBytes } from 'node:crypto';
import { encryptionKeyId, SecretBox, SecretBoxError } from '../secret-box';

const key = () => randomBytes(32).toString('base64');
const context = { purpose: 'environment.password', id: '6f1c2a50-0000-4000-8000-000000000001' };

/** The format auth-api wrote before v2: base64(iv ‖ ciphertext ‖ tag), no prefix, no context. */
function legacyAuthApi(base64Key: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(base64Key, 'base64'), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
}

/** The format environment-api wrote before v2: `v1:` + base64(iv ‖ tag ‖ ciphertext), no context. */
function legacyEnvironmentApi(base64Key: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(base64Key, 'base64'), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
}

describe('SecretBox (AES-256-GCM, versioned, bound to purpose and row)', () => {
  const current = key();
  const box = new SecretBox({ ENCRYPTION_KEY: current });

  it('seals as v2:<key id>:… with a fresh IV each time and opens it back', () => {
    const first = box.seal('Pa55-wörd', context);
    const second = box.seal('Pa55-wörd', context);
    expect(first).toMatch(new RegExp(`^v2:${box.currentKeyId}:[A-Za-z0-9+/]+=*$`));
    expect(box.currentKeyId).toBe(encryptionKeyId(Buffer.from(current, 'base64')));
    expect(first).not.toBe(second);
    expect(box.open(first, context)).toBe('Pa55-wörd');
    expect(box.isCurrent(first)).toBe(true);
  });

  it.each([
    ['another record', { ...context, id: 'another-id' }],
    ['another purpose', { ...context, purpose: 'signing-key' }],
  ])('refuses a value moved to %s (the context is authenticated)', (_case, other) => {
    const sealed = box.seal('secret', context);
    expect(() => box.open(sealed, other)).toThrow(SecretBoxError);
    expect(() => box.open(sealed, other)).toThrow(/altered or belongs to another record/);
  });

  it('refuses an altered ciphertext and a truncated one', () => {
    const sealed = box.seal('secret', context);
    const payload = Buffer.from(sealed.split(':')[2]!, 'base64');
    payload[14] = payload[14]! ^ 1;
    expect(() => box.open(`v2:${box.currentKeyId}:${payload.toString('base64')}`, context)).toThrow(SecretBoxError);
    expect(() => box.open(`v2:${box.currentKeyId}:AAAA`, context)).toThrow(/truncated/);
  });

  it.each([
    ["auth-api's unprefixed format", legacyAuthApi],
    ["environment-api's v1 format", legacyEnvironmentApi],
  ])('opens %s written before v2, and reports it as not current', (_format, write) => {
    const sealed = write(current, 'old secret');
    expect(box.open(sealed, context)).toBe('old secret');
    expect(box.isCurrent(sealed)).toBe(false);
  });

  it('opens values sealed with a previous key listed in ENCRYPTION_PREVIOUS_KEYS, and seals with the new one', () => {
    const previous = key();
    const old = new SecretBox({ ENCRYPTION_KEY: previous });
    const sealedV2 = old.seal('v2 secret', context);
    const sealedLegacy = legacyAuthApi(previous, 'legacy secret');
    const rotated = new SecretBox({ ENCRYPTION_KEY: key(), ENCRYPTION_PREVIOUS_KEYS: [previous] });
    expect(rotated.open(sealedV2, context)).toBe('v2 secret');
    expect(rotated.open(sealedLegacy, context)).toBe('legacy secret');
    expect(rotated.isCurrent(sealedV2)).toBe(false);
    expect(rotated.seal('x', context)).toMatch(new RegExp(`^v2:${rotated.currentKeyId}:`));
  });

  it('names the missing key, and the setting to fix, when no configured key opens a value', () => {
    const stranger = new SecretBox({ ENCRYPTION_KEY: key() });
    const sealed = stranger.seal('secret', context);
    expect(() => box.open(sealed, context)).toThrow(
      new RegExp(
        `sealed with key ${stranger.currentKeyId}, which is neither ENCRYPTION_KEY .* nor one of ENCRYPTION_PREVIOUS_KEYS`,
      ),
    );
    expect(() => box.open(legacyAuthApi(key(), 'secret'), context)).toThrow(/ENCRYPTION_PREVIOUS_KEYS/);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => new SecretBox({ ENCRYPTION_KEY: randomBytes(16).toString('base64') })).toThrow(/32 bytes/);
  });
});

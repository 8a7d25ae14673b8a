import { randomBytes } from 'node:crypto';
import { SecretBox } from '../secret-box';

describe('SecretBox (AES-256-GCM)', () => {
  const box = new SecretBox({ ENCRYPTION_KEY: randomBytes(32).toString('base64') });

  it('round-trips and uses a fresh IV every time', () => {
    const a = box.encrypt('secret value');
    const b = box.encrypt('secret value');
    expect(a).not.toBe(b);
    expect(box.decrypt(a)).toBe('secret value');
    expect(Buffer.from(a, 'base64').length).toBe(12 + 'secret value'.length + 16);
  });

  it('refuses tampered data and a different key', () => {
    const sealed = Buffer.from(box.encrypt('secret value'), 'base64');
    sealed[14] = (sealed[14] ?? 0) ^ 1;
    expect(() => box.decrypt(sealed.toString('base64'))).toThrow();
    const other = new SecretBox({ ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    expect(() => other.decrypt(box.encrypt('x'))).toThrow();
    expect(() => box.decrypt('c2hvcnQ=')).toThrow('sealed value too short');
  });
});

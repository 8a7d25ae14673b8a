import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, EncryptionConfig } from '@cxauth/platform';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with the service's `ENCRYPTION_KEY`. Output: base64(iv ‖ ciphertext ‖ tag); a fresh random
 * 96-bit IV per message. Decryption fails loudly if the data or the key does not match.
 */
@Injectable()
export class SecretBox {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: EncryptionConfig) {
    this.key = Buffer.from(config.ENCRYPTION_KEY, 'base64');
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
  }

  decrypt(sealed: string): string {
    const data = Buffer.from(sealed, 'base64');
    if (data.length < IV_BYTES + TAG_BYTES) throw new Error('sealed value too short');
    const iv = data.subarray(0, IV_BYTES);
    const tag = data.subarray(data.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([
      decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  }
}

import { createCipheriv, createDecipheriv, hash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { EncryptionConfig } from '../config/config.schema';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const CURRENT_VERSION = 'v2';

/**
 * What a sealed value is and which record it belongs to. It is bound to the ciphertext as AES-GCM
 * additional data, so a value copied to another row or another purpose no longer opens.
 */
export interface SealContext {
  /** What the secret is, e.g. `signing-key` or `environment.password`. */
  purpose: string;
  /** The record it belongs to (a primary key). */
  id: string;
}

/** A sealed value that cannot be opened: wrong key, altered data, wrong context or an unknown format. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/** The keys a SecretBox uses (EncryptionConfig, or the same values in a test). */
export type SecretBoxConfig = Pick<EncryptionConfig, 'ENCRYPTION_KEY'> &
  Partial<Pick<EncryptionConfig, 'ENCRYPTION_PREVIOUS_KEYS'>>;

interface BoxKey {
  id: string;
  key: Buffer;
}

/** A key's id: the first 8 hex digits of its SHA-256 (names the key without revealing it). */
export function encryptionKeyId(key: Buffer): string {
  return hash('sha256', key, 'hex').slice(0, 8);
}

function toKey(base64: string): BoxKey {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== KEY_BYTES) throw new SecretBoxError('an encryption key must be 32 bytes, base64-encoded');
  return { id: encryptionKeyId(key), key };
}

/**
 * AES-256-GCM for secrets at rest (signing keys, Configuration Server and directory passwords), shared
 * by every service. Sealed form: `v2:<key id>:` + base64(iv(12) ‖ ciphertext ‖ tag(16)), a fresh random
 * IV per value, the SealContext as additional data, the 16-byte tag enforced. `ENCRYPTION_KEY` seals;
 * `ENCRYPTION_PREVIOUS_KEYS` still open what older keys sealed (key rotation). Also opens the two
 * formats written before v2 (no context): environment-api's `v1:` + base64(iv ‖ tag ‖ ciphertext) and
 * auth-api's unprefixed base64(iv ‖ ciphertext ‖ tag).
 */
@Injectable()
export class SecretBox {
  private readonly current: BoxKey;
  private readonly keys: BoxKey[];

  constructor(@Inject(APP_CONFIG) config: SecretBoxConfig) {
    this.current = toKey(config.ENCRYPTION_KEY);
    this.keys = [this.current, ...(config.ENCRYPTION_PREVIOUS_KEYS ?? []).map(toKey)];
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  seal(plaintext: string, context: SealContext): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const sealed = Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
    return `${CURRENT_VERSION}:${this.current.id}:${sealed}`;
  }

  open(sealed: string, context: SealContext): string {
    const what = `${context.purpose} ${context.id}`;
    if (sealed.startsWith(`${CURRENT_VERSION}:`)) {
      const [, keyId, payload] = sealed.split(':', 3);
      const key = this.keys.find((candidate) => candidate.id === keyId);
      if (!key) {
        throw new SecretBoxError(
          `cannot decrypt ${what}: it was sealed with key ${keyId}, which is neither ENCRYPTION_KEY (${this.current.id}) ` +
            'nor one of ENCRYPTION_PREVIOUS_KEYS',
        );
      }
      const raw = Buffer.from(payload ?? '', 'base64');
      return this.decrypt(key, raw, 'ciphertext-then-tag', additionalData(context), what);
    }
    // Formats written before v2 carry no key id and no context: try every key.
    const legacy = sealed.startsWith('v1:')
      ? { raw: Buffer.from(sealed.slice(3), 'base64'), layout: 'tag-then-ciphertext' as const }
      : { raw: Buffer.from(sealed, 'base64'), layout: 'ciphertext-then-tag' as const };
    for (const key of this.keys) {
      try {
        return this.decrypt(key, legacy.raw, legacy.layout, undefined, what);
      } catch {
        // the next key, if any
      }
    }
    throw new SecretBoxError(
      `cannot decrypt ${what}: no configured key opens it (ENCRYPTION_KEY is ${this.current.id}; ` +
        'set the key it was sealed with in ENCRYPTION_PREVIOUS_KEYS)',
    );
  }

  /** True when the value is sealed in the current format with ENCRYPTION_KEY (no need to re-seal). */
  isCurrent(sealed: string): boolean {
    return sealed.startsWith(`${CURRENT_VERSION}:${this.current.id}:`);
  }

  private decrypt(
    key: BoxKey,
    raw: Buffer,
    layout: 'ciphertext-then-tag' | 'tag-then-ciphertext',
    aad: Buffer | undefined,
    what: string,
  ): string {
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError(`cannot decrypt ${what}: the value is truncated`);
    const iv = raw.subarray(0, IV_BYTES);
    const tag =
      layout === 'ciphertext-then-tag'
        ? raw.subarray(raw.length - TAG_BYTES)
        : raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    const body =
      layout === 'ciphertext-then-tag'
        ? raw.subarray(IV_BYTES, raw.length - TAG_BYTES)
        : raw.subarray(IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tag);
    if (aad) decipher.setAAD(aad);
    try {
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(
        `cannot decrypt ${what} with key ${key.id}: the value was altered or belongs to another record`,
      );
    }
  }
}

function additionalData(context: SealContext): Buffer {
  return Buffer.from(`cxauth\u0000${context.purpose}\u0000${context.id}`, 'utf8');
}

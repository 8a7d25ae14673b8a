import { Inject, Injectable } from '@nestjs/common';
import { hash, verify, type Options } from '@node-rs/argon2';
import { verify as bcryptVerify } from '@node-rs/bcrypt';
import pLimit from 'p-limit';
import { APP_CONFIG, isBcryptHash, type PasswordHashGate } from '@cxauth/platform';
import type { AuthApiConfig } from '../auth-api.config';

/**
 * argon2id of a throwaway value with the parameters of every stored secret and password
 * (m=19456, t=2, p=1; ARGON2ID_OPTIONS and @node-rs/argon2's defaults): verified against when the
 * client or user does not exist, so "unknown" costs what "wrong" costs.
 */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$GjQVnUkqTVuV9iLVfzxLkA$mKaC/cY9eq0LnmEEvrfV3GoDETLqUCfCRxmsKFebEfQ';

/**
 * Every argon2 hash and verification of auth-api, at most PASSWORD_HASH_CONCURRENCY at a time.
 *
 * argon2 runs on libuv's thread pool, which JWT signatures share. Unbounded, a burst of password grants
 * (or of wrong client secrets) takes every pool thread and each token signature waits behind
 * 20–40 ms hashes; in the benchmark harness, JWT issuance fell from 3 300 to 28 tokens/s with a p99 of
 * 122 ms. With the gate the rest of the pool stays free, and at most that many argon2 buffers
 * (19 MiB each with the user-password cost) exist at once; further hashes wait their turn in order.
 */
@Injectable()
export class Argon2Gate implements PasswordHashGate {
  private readonly limit: pLimit.Limit;

  constructor(@Inject(APP_CONFIG) config: Pick<AuthApiConfig, 'PASSWORD_HASH_CONCURRENCY'>) {
    this.limit = pLimit(config.PASSWORD_HASH_CONCURRENCY);
  }

  hash(password: string, options?: Options): Promise<string> {
    return this.limit(() => hash(password, options));
  }

  /**
   * Rejects (as @node-rs/argon2 does) when `storedHash` is not a valid argon2 PHC string. A bcrypt hash
   * (a client secret the Helm chart was given bcrypt-encoded, as the Genesys chart takes it) is checked
   * with bcrypt, through the same gate: it uses the same thread pool.
   */
  verify(storedHash: string, password: string): Promise<boolean> {
    return this.limit(() =>
      isBcryptHash(storedHash) ? bcryptVerify(password, storedHash) : verify(storedHash, password),
    );
  }

  /** Spends the time of one verification, through the gate, and answers false. */
  async verifyDummy(password: string): Promise<false> {
    await this.verify(DUMMY_HASH, password).catch(() => false);
    return false;
  }

  /** Hashes running now and waiting (for tests and diagnostics). */
  get load(): { active: number; waiting: number } {
    return { active: this.limit.activeCount, waiting: this.limit.pendingCount };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { hash, verify, type Options } from '@node-rs/argon2';
import { verify as bcryptVerify } from '@node-rs/bcrypt';
import pLimit from 'p-limit';
import { APP_CONFIG, isBcryptHash } from '@cxauth/platform';
import type { AuthApiConfig } from '../auth-api.config';

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
export class Argon2Gate {
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

  /** Hashes running now and waiting (for tests and diagnostics). */
  get load(): { active: number; waiting: number } {
    return { active: this.limit.activeCount, waiting: this.limit.pendingCount };
  }
}

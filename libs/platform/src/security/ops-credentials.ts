import { Inject, Injectable, Optional } from '@nestjs/common';
import { verify as bcryptVerify } from '@node-rs/bcrypt';
import { APP_CONFIG } from '../config/config.module';
import { isBcryptHash, type OpsCredentialsConfig } from '../config/config.schema';
import {
  type AuditRequest,
  constantTimeEquals,
  digestsEqual,
  type LoginThrottle,
  opsAccountKey,
  secretDigest,
} from '@cxauth/domain';

/** Runs password-hash checks at bounded concurrency, off the threads JWT signatures need (auth-api's Argon2Gate). */
export interface PasswordHashGate {
  /** Checks an argon2 or bcrypt hash. */
  verify(storedHash: string, password: string): Promise<boolean>;
}

export const PASSWORD_HASH_GATE = Symbol('PASSWORD_HASH_GATE');

/**
 * The ops user (`ADMIN_USERNAME` / `ADMIN_PASSWORD`, the password plain or bcrypt-encoded as the
 * Genesys chart stores it). A bcrypt check costs ~50 ms, so the digest of the last verified password
 * is remembered; a changed configuration means a restart, which clears it. Where the service has a
 * PASSWORD_HASH_GATE (auth-api) bcrypt runs through it; environment-api hashes nothing else.
 */
@Injectable()
export class OpsCredentials {
  private verifiedDigest?: Buffer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: OpsCredentialsConfig,
    @Optional() @Inject(PASSWORD_HASH_GATE) private readonly gate?: PasswordHashGate,
  ) {}

  get username(): string {
    return this.config.ADMIN_USERNAME;
  }

  /** `verify` behind the brute-force throttle (LOGIN_*): throws TooManyFailedAttempts while locked. */
  async verifyThrottled(
    throttle: LoginThrottle,
    username: string,
    password: string,
    origin: AuditRequest,
  ): Promise<boolean> {
    const subject = {
      credential: 'ops' as const,
      account: opsAccountKey(username),
      source: origin.ip,
      requestId: origin.id,
    };
    return (
      (await throttle.attempt(subject, async () => ((await this.verify(username, password)) ? true : null))) ?? false
    );
  }

  async verify(username: string, password: string): Promise<boolean> {
    const userMatches = constantTimeEquals(username, this.config.ADMIN_USERNAME);
    const digest = secretDigest(password);
    if (this.verifiedDigest && digestsEqual(digest, this.verifiedDigest)) return userMatches;
    const stored = this.config.ADMIN_PASSWORD;
    const passwordMatches = isBcryptHash(stored)
      ? await (this.gate ? this.gate.verify(stored, password) : bcryptVerify(password, stored)).catch(() => false)
      : constantTimeEquals(password, stored);
    if (passwordMatches) this.verifiedDigest = digest;
    return userMatches && passwordMatches;
  }
}

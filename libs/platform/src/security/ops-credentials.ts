import { Inject, Injectable, Optional } from '@nestjs/common';
import { verify as bcryptVerify } from '@node-rs/bcrypt';
import { APP_CONFIG } from '../config/config.module';
import { isBcryptHash, type OpsCredentialsConfig } from '../config/config.schema';
import {
  AUDIT_LOG,
  type AuditLog,
  auditOrigin,
  type AuditRequest,
  constantTimeEquals,
  digestsEqual,
  type LoginThrottle,
  opsAccountKey,
  secretDigest,
  TooManyFailedAttempts,
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
    @Optional() @Inject(AUDIT_LOG) private readonly audit?: AuditLog,
  ) {}

  get username(): string {
    return this.config.ADMIN_USERNAME;
  }

  /**
   * `verify` behind the brute-force throttle (LOGIN_*): throws TooManyFailedAttempts while locked.
   * A wrong password and an attempt refused while locked are `sign_in` failures in the audit trail
   * (`detail.channel: 'ops_basic'`, the user name as typed); a success is not (every ops call would be
   * one, and the ops operations are audited themselves).
   */
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
    let verified: boolean;
    try {
      verified =
        (await throttle.attempt(subject, async () => ((await this.verify(username, password)) ? true : null))) ?? false;
    } catch (error) {
      if (error instanceof TooManyFailedAttempts) await this.recordFailure(username, origin, 'locked');
      throw error;
    }
    if (!verified) await this.recordFailure(username, origin, 'bad_credentials');
    return verified;
  }

  private async recordFailure(username: string, origin: AuditRequest, reason: 'bad_credentials' | 'locked') {
    await this.audit?.record({
      type: 'sign_in',
      outcome: 'failure',
      actor: username,
      ...auditOrigin(origin),
      detail: { channel: 'ops_basic', reason },
    });
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

import { Inject, Injectable } from '@nestjs/common';
import { verify as bcryptVerify } from '@node-rs/bcrypt';
import { APP_CONFIG } from '../config/config.module';
import type { OpsCredentialsConfig } from '../config/config.schema';
import { constantTimeEquals, digestsEqual, secretDigest } from '@cxauth/domain';

const BCRYPT_HASH = /^\$2[abxy]\$\d{2}\$[./A-Za-z0-9]{53}$/;

export function isBcryptHash(value: string): boolean {
  return BCRYPT_HASH.test(value);
}

/**
 * The ops user (`ADMIN_USERNAME` / `ADMIN_PASSWORD`, the password plain or bcrypt-encoded as the
 * Genesys chart stores it). A bcrypt check costs ~50 ms, so the digest of the last verified password
 * is remembered; a changed configuration means a restart, which clears it.
 */
@Injectable()
export class OpsCredentials {
  private verifiedDigest?: Buffer;

  constructor(@Inject(APP_CONFIG) private readonly config: OpsCredentialsConfig) {}

  get username(): string {
    return this.config.ADMIN_USERNAME;
  }

  async verify(username: string, password: string): Promise<boolean> {
    const userMatches = constantTimeEquals(username, this.config.ADMIN_USERNAME);
    const digest = secretDigest(password);
    if (this.verifiedDigest && digestsEqual(digest, this.verifiedDigest)) return userMatches;
    const stored = this.config.ADMIN_PASSWORD;
    const passwordMatches = isBcryptHash(stored)
      ? await bcryptVerify(password, stored).catch(() => false)
      : constantTimeEquals(password, stored);
    if (passwordMatches) this.verifiedDigest = digest;
    return userMatches && passwordMatches;
  }
}

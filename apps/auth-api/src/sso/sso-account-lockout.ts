import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LOGIN_THROTTLE, type LockoutStatus, type LoginThrottle, userAccountKey } from '@cxauth/domain';
import { ContactCenterDomainEntity } from '@cxauth/persistence';
import { SsoFailure } from './sso-failure';

/**
 * The password path's lockout rules for an SSO sign-in: a user whose account is locked in cxauth
 * (temporarily, after LOGIN_LOCKOUT_FAILURES, or permanently, after LOGIN_PERMANENT_LOCKOUT_FAILURES,
 * until an operator unlocks it) is refused, whatever the IdP says.
 *
 * The password path counts failures under the account as typed, `tenant\user` with the tenant one of
 * the contact center's domains (change-password: its id). An SSO user is the same user under any of
 * them, so each of those keys is read (`LoginThrottle.status`); a lock under any refuses the sign-in.
 *
 * Only the account counters are read, not the per-source one: that one guards password guessing from
 * one address, and an SSO sign-in guesses nothing (the IdP checked the user), while agents behind one
 * NAT address would otherwise lose SSO to someone else's typing. A refused or granted SSO sign-in
 * counts nothing and resets nothing: an IdP sign-in does not prove the cxauth password, so it must not
 * lift a lock or forget failures, and the IdP does its own brute-force protection. When Redis cannot
 * answer the sign-in goes through (as the throttle lets passwords through) and the error is logged.
 */
@Injectable()
export class SsoAccountLockout {
  private readonly logger = new Logger(SsoAccountLockout.name);

  constructor(
    @Inject(LOGIN_THROTTLE) private readonly throttle: LoginThrottle,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Throws SsoFailure `sso_locked` (for the user `userId`) when any of the user's account keys is locked. */
  async assertNotLocked(contactCenterId: string, username: string, userId: string): Promise<void> {
    const domains = await this.dataSource
      .getRepository(ContactCenterDomainEntity)
      .find({ select: { domain: true }, where: { contactCenterId } });
    const accounts = [...new Set([contactCenterId, ...domains.map((row) => row.domain)])].map((tenant) =>
      userAccountKey(tenant, username),
    );
    let statuses: LockoutStatus[];
    try {
      statuses = await Promise.all(accounts.map((account) => this.throttle.status(account)));
    } catch (error) {
      this.logger.warn(`lockout state unavailable, sso sign-in let through: ${(error as Error).message}`);
      return;
    }
    const permanent = statuses.some((status) => status.permanentlyLocked);
    const seconds = Math.max(0, ...statuses.map((status) => status.lockedForSeconds ?? 0));
    if (!permanent && seconds === 0) return;
    const how = permanent ? 'until an operator unlocks it' : `for ${seconds} s`;
    throw new SsoFailure(
      'sso_locked',
      `user ${username} of contact center ${contactCenterId} is locked ${how}`,
      userId,
    );
  }
}

import { Injectable } from '@nestjs/common';
import { DomainException, parseTenantUserName, type TokenPrincipal, assertPasswordPolicy } from '@cxauth/domain';
import { ChangePasswordLimiter, CHANGE_PASSWORD_FAILURE_WINDOW_SECONDS } from './change-password-limiter';
import { ContactCenterResolver } from './contact-center-resolver';
import type { ChangePasswordRequest } from './dto/user.dto';
import { UserSignOut } from '../session/user-sign-out.service';
import { UserAuthenticationService } from './user-authentication.service';

const UNABLE = 'Unable to update password';

/**
 * `POST /auth/v3/change-password` for the user behind a bearer token: local users, and users of a
 * Configuration Server or LDAP directory that allows changes. Everyone else (the ops user,
 * client-only tokens, directories that do not allow it) gets 403 "Unable to update password", as
 * does a wrong old password; a directory outage answers 503.
 * After a change every session and token of the user ends; after 5 wrong old passwords in 15 minutes the
 * user's attempts answer 429 until the window ends (docs/users.md).
 */
@Injectable()
export class ChangePasswordService {
  constructor(
    private readonly users: UserAuthenticationService,
    private readonly contactCenters: ContactCenterResolver,
    private readonly userSignOut: UserSignOut,
    private readonly limiter: ChangePasswordLimiter,
  ) {}

  async changePassword(principal: TokenPrincipal, request: ChangePasswordRequest): Promise<void> {
    const user = principal.user;
    if (!user?.contactCenterId) throw new DomainException('FORBIDDEN', UNABLE);
    if (
      request.userName !== undefined &&
      !(await this.namesSameUser(request.userName, user.contactCenterId, user.username))
    ) {
      throw new DomainException('FORBIDDEN', UNABLE);
    }
    assertPasswordPolicy(request.newPassword, user.username, 'data.newPassword');
    if (request.newPassword === request.oldPassword) {
      throw new DomainException('VALIDATION_FAILED', 'data.newPassword: must differ from the current password', {
        errors: [{ field: 'data.newPassword', message: 'must differ from the current password' }],
      });
    }
    if (await this.limiter.isBlocked(user.id)) {
      throw new DomainException(
        'TOO_MANY_REQUESTS',
        `Too many wrong passwords; try again within ${CHANGE_PASSWORD_FAILURE_WINDOW_SECONDS / 60} minutes`,
      );
    }
    const contactCenter = await this.contactCenters.byId(user.contactCenterId);
    if (!contactCenter) throw new DomainException('FORBIDDEN', UNABLE);
    const outcome = await this.users.changePassword(
      contactCenter,
      user.username,
      request.oldPassword,
      request.newPassword,
    );
    if (outcome === 'policy') {
      throw new DomainException('VALIDATION_FAILED', "data.newPassword: breaks the directory's password policy", {
        errors: [{ field: 'data.newPassword', message: "breaks the directory's password policy" }],
      });
    }
    if (outcome === 'not-allowed') throw new DomainException('FORBIDDEN', UNABLE);
    if (outcome === 'rejected') {
      await this.limiter.recordFailure(user.id);
      throw new DomainException('FORBIDDEN', UNABLE);
    }
    await this.limiter.reset(user.id);
    await this.userSignOut.signOutEverywhere(user.id);
  }

  /** `userName` may be `user` or `tenant\user`; it must name the token's own user. */
  private async namesSameUser(userName: string, contactCenterId: string, username: string): Promise<boolean> {
    const named = parseTenantUserName(userName);
    if (named.username.toLowerCase() !== username.toLowerCase()) return false;
    if (named.tenant === null) return true;
    const contactCenter = await this.contactCenters.byDomain(named.tenant);
    return contactCenter?.id === contactCenterId;
  }
}

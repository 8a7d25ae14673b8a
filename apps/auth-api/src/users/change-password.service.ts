import { Injectable } from '@nestjs/common';
import {
  type AuditRequest,
  DomainException,
  parseTenantUserName,
  type TokenPrincipal,
  assertPasswordPolicy,
} from '@cxauth/domain';
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
 * After a change every session and token of the user ends. Wrong old passwords are throttled like every
 * password check (LOGIN_*): 429 (code 12, Retry-After) while the account or the source IP is locked.
 */
@Injectable()
export class ChangePasswordService {
  constructor(
    private readonly users: UserAuthenticationService,
    private readonly contactCenters: ContactCenterResolver,
    private readonly userSignOut: UserSignOut,
  ) {}

  async changePassword(principal: TokenPrincipal, request: ChangePasswordRequest, origin: AuditRequest): Promise<void> {
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
    const contactCenter = await this.contactCenters.byId(user.contactCenterId);
    if (!contactCenter) throw new DomainException('FORBIDDEN', UNABLE);
    const outcome = await this.users.changePassword(
      contactCenter,
      user.username,
      request.oldPassword,
      request.newPassword,
      { ip: origin.ip, requestId: origin.id, channel: 'api' },
    );
    if (outcome === 'policy') {
      throw new DomainException('VALIDATION_FAILED', "data.newPassword: breaks the directory's password policy", {
        errors: [{ field: 'data.newPassword', message: "breaks the directory's password policy" }],
      });
    }
    if (outcome === 'not-allowed') throw new DomainException('FORBIDDEN', UNABLE);
    if (outcome === 'rejected') throw new DomainException('FORBIDDEN', UNABLE);
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

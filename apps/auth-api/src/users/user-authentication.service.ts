import { Inject, Injectable } from '@nestjs/common';
import type { PasswordChangeOutcome } from '@cxauth/directories';
import {
  AUDIT_LOG,
  type AuditLog,
  DirectoryUnavailableException,
  DirectoryUser,
  LOGIN_THROTTLE,
  type LoginThrottle,
  parseTenantUserName,
  TooManyFailedAttempts,
  USER_DIRECTORIES,
  userAccountKey,
  type UserDirectory,
} from '@cxauth/domain';
import { AuthMetrics } from '../metrics/auth-metrics';
import type { ResolvedContactCenter } from './contact-center-resolver';
import { EXTERNAL_DIRECTORY_KINDS } from './directories/contact-center-directories.service';
import { ExternalUserDirectory } from './directories/external-user.directory';
import { LocalUserDirectory } from './directories/local-user.directory';
import { PasswordHasher } from './password-hasher';

/** Longest user name or password accepted before any lookup (longer is simply "wrong credentials"). */
const MAX_USERNAME_LENGTH = 512;
const MAX_PASSWORD_LENGTH = 1024;

/** Where a password sign-in comes from: counted by the throttle, recorded in the audit trail. */
export interface SignInOrigin {
  /** The caller's IP address (Fastify's `request.ip`, which honours TRUST_PROXY). */
  ip: string;
  requestId: string;
  channel: 'password_grant' | 'browser';
  clientId?: string;
}

/** Where a password change comes from: counted by the throttle, recorded in the audit trail. */
export interface PasswordChangeOrigin {
  ip: string;
  requestId: string;
  channel: 'api' | 'browser';
}

/**
 * Password authentication for the password grant, sign-in and change-password: parses `tenant\user`
 * (or a separate tenant field), then asks each `UserDirectory` (USER_DIRECTORIES, in order: the ops
 * user, the local directory, the contact center's Configuration Server or LDAP directory). Every
 * refusal answers null, so callers cannot tell an unknown user from a wrong password; a directory
 * outage throws DirectoryUnavailableException instead. Refusals count against the named account and
 * the source IP (LoginThrottle): while either is locked, TooManyFailedAttempts is thrown unchecked.
 */
@Injectable()
export class UserAuthenticationService {
  constructor(
    @Inject(USER_DIRECTORIES) private readonly directories: UserDirectory[],
    private readonly hasher: PasswordHasher,
    private readonly local: LocalUserDirectory,
    private readonly external: ExternalUserDirectory,
    @Inject(LOGIN_THROTTLE) private readonly throttle: LoginThrottle,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
    private readonly metrics: AuthMetrics,
  ) {}

  /** With an `origin` (a network caller) the attempt is throttled per source IP too, and audited. */
  async authenticate(
    rawUsername: string,
    password: string,
    tenantField?: string | null,
    origin?: SignInOrigin,
  ): Promise<DirectoryUser | null> {
    const channel = origin?.channel === 'browser' ? 'sign_in_page' : 'password_grant';
    let directoryName = 'none';
    try {
      const user = await this.check(rawUsername, password, tenantField, origin, (name) => (directoryName = name));
      this.metrics.signIn(user ? directoryName : 'none', channel, user ? 'success' : 'rejected');
      return user;
    } catch (error) {
      const outcome =
        error instanceof TooManyFailedAttempts
          ? 'locked'
          : error instanceof DirectoryUnavailableException
            ? 'unavailable'
            : 'error';
      this.metrics.signIn(directoryName, channel, outcome);
      throw error;
    }
  }

  /** Counted by the directory that answered (auth_sign_ins_total): `asking` names each one tried. */
  private async check(
    rawUsername: string,
    password: string,
    tenantField: string | null | undefined,
    origin: SignInOrigin | undefined,
    asking: (directory: string) => void,
  ): Promise<DirectoryUser | null> {
    if (
      typeof rawUsername !== 'string' ||
      typeof password !== 'string' ||
      rawUsername.length === 0 ||
      rawUsername.length > MAX_USERNAME_LENGTH ||
      password.length === 0 ||
      password.length > MAX_PASSWORD_LENGTH
    ) {
      await this.hasher.verifyDummy(typeof password === 'string' ? password.slice(0, MAX_PASSWORD_LENGTH) : '');
      return null;
    }
    const { tenant, username } = parseTenantUserName(rawUsername, tenantField);
    const subject = {
      credential: 'user' as const,
      account: userAccountKey(tenant, username),
      source: origin?.ip,
      requestId: origin?.requestId,
    };
    const signIn = (outcome: 'success' | 'failure', reason?: string, user?: DirectoryUser) =>
      origin &&
      this.audit.record({
        type: 'sign_in',
        outcome,
        actor: user?.id ?? (tenant === null ? username : `${tenant}\\${username}`),
        clientId: origin.clientId ?? null,
        tenant,
        sourceIp: origin.ip,
        requestId: origin.requestId,
        detail: { channel: origin.channel, ...(reason && { reason }) },
      });
    let user: DirectoryUser | null;
    try {
      user = await this.throttle.attempt(subject, async () => {
        for (const directory of this.directories) {
          asking(directory.name);
          const found = await directory.authenticate({ tenant, username, password });
          if (found) return found;
        }
        return null;
      });
    } catch (error) {
      if (error instanceof TooManyFailedAttempts) await signIn('failure', 'locked');
      throw error;
    }
    await (user ? signIn('success', undefined, user) : signIn('failure', 'bad_credentials'));
    return user;
  }

  /** The user a name designates (no password check), e.g. to refresh a token's user details. */
  async findUser(rawUsername: string, tenantField?: string | null): Promise<DirectoryUser | null> {
    if (rawUsername.length === 0 || rawUsername.length > MAX_USERNAME_LENGTH) return null;
    const { tenant, username } = parseTenantUserName(rawUsername, tenantField);
    for (const directory of this.directories) {
      const user = await directory.findUser(tenant, username);
      if (user) return user;
    }
    return null;
  }

  /**
   * The user a `DirectoryUser.id` designates: `<contact-center-id>\<username>` for contact-center
   * users (a local user first, then the contact center's directory), the bare ops user name for the
   * ops user. Null when the user is gone or disabled (e.g. at refresh).
   */
  async findById(id: string): Promise<DirectoryUser | null> {
    if (id.length === 0 || id.length > MAX_USERNAME_LENGTH) return null;
    const separator = id.indexOf('\\');
    if (separator < 0) return this.findUser(`\\${id}`);
    const contactCenterId = id.slice(0, separator);
    const username = id.slice(separator + 1);
    return (
      (await this.local.findInContactCenter(contactCenterId, username)) ??
      (await this.external.findInContactCenter(contactCenterId, username))
    );
  }

  /** No such user or contact center: as slow as a wrong password, and the same answer. */
  async rejectedPasswordChange(oldPassword: string): Promise<'rejected'> {
    await this.hasher.verifyDummy(oldPassword);
    return 'rejected';
  }

  /**
   * Checks the old password and sets the new one where the user lives: the local directory when the
   * contact center has a local user of that name, otherwise its Configuration Server or LDAP
   * directory (where that directory allows changes). Wrong old passwords count against the account
   * `<contact center id>\<username>` and the source IP (LoginThrottle). With an `origin` every outcome is
   * an audit event (`password_changed`: success, or failure with the reason).
   */
  async changePassword(
    contactCenter: ResolvedContactCenter,
    username: string,
    oldPassword: string,
    newPassword: string,
    origin?: PasswordChangeOrigin,
  ): Promise<PasswordChangeOutcome> {
    const subject = {
      credential: 'user' as const,
      account: userAccountKey(contactCenter.id, username),
      source: origin?.ip,
      requestId: origin?.requestId,
    };
    const audited = (reason: PasswordChangeOutcome | 'locked') =>
      origin &&
      this.audit.record({
        type: 'password_changed',
        outcome: reason === 'changed' ? 'success' : 'failure',
        actor: `${contactCenter.id}\\${username}`,
        sourceIp: origin.ip,
        requestId: origin.requestId,
        detail: { channel: origin.channel, ...(reason !== 'changed' && { reason }) },
      });
    let outcome: PasswordChangeOutcome;
    try {
      outcome =
        (await this.throttle.attempt(subject, async () => {
          const result = await this.changeWhereTheUserLives(contactCenter, username, oldPassword, newPassword);
          return result === 'rejected' ? null : result;
        })) ?? 'rejected';
    } catch (error) {
      if (error instanceof TooManyFailedAttempts) await audited('locked');
      throw error;
    }
    await audited(outcome);
    return outcome;
  }

  private async changeWhereTheUserLives(
    contactCenter: ResolvedContactCenter,
    username: string,
    oldPassword: string,
    newPassword: string,
  ): Promise<PasswordChangeOutcome> {
    if (await this.local.hasUser(contactCenter.id, username)) {
      const changed = await this.local.changePasswordInContactCenter(
        contactCenter.id,
        username,
        oldPassword,
        newPassword,
      );
      return changed ? 'changed' : 'rejected';
    }
    const outcome = await this.external.changePasswordInContactCenter(
      contactCenter,
      username,
      oldPassword,
      newPassword,
    );
    // No user anywhere in a local-only contact center: spend what a wrong password costs.
    if (!EXTERNAL_DIRECTORY_KINDS.has(contactCenter.auth)) await this.hasher.verifyDummy(oldPassword);
    return outcome;
  }
}

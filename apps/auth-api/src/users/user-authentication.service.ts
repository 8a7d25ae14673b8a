import { Inject, Injectable } from '@nestjs/common';
import { DirectoryUser, parseTenantUserName, USER_DIRECTORIES, type UserDirectory } from '@cxauth/domain';
import { LocalUserDirectory } from './directories/local-user.directory';
import { PasswordHasher } from './password-hasher';

/** Longest user name or password accepted before any lookup (longer is simply "wrong credentials"). */
const MAX_USERNAME_LENGTH = 512;
const MAX_PASSWORD_LENGTH = 1024;

/**
 * Password authentication for the password grant, sign-in and change-password: parses `tenant\user`
 * (or a separate tenant field), then asks each `UserDirectory` (USER_DIRECTORIES, in order: the ops
 * user, the local directory, later Configuration Server / LDAP). Every failure answers null, with
 * at least one argon2 verification spent, so callers cannot tell an unknown user from a wrong password.
 */
@Injectable()
export class UserAuthenticationService {
  constructor(
    @Inject(USER_DIRECTORIES) private readonly directories: UserDirectory[],
    private readonly hasher: PasswordHasher,
    private readonly local: LocalUserDirectory,
  ) {}

  async authenticate(
    rawUsername: string,
    password: string,
    tenantField?: string | null,
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
    for (const directory of this.directories) {
      const user = await directory.authenticate({ tenant, username, password });
      if (user) return user;
    }
    return null;
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
   * The user a `DirectoryUser.id` designates: `<contact-center-id>\<username>` for local users, the
   * bare ops user name for the ops user. Null when the user is gone or disabled (e.g. at refresh).
   */
  async findById(id: string): Promise<DirectoryUser | null> {
    if (id.length === 0 || id.length > MAX_USERNAME_LENGTH) return null;
    const separator = id.indexOf('\\');
    if (separator < 0) return this.findUser(`\\${id}`);
    return this.local.findInContactCenter(id.slice(0, separator), id.slice(separator + 1));
  }
}

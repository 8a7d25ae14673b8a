import { Injectable } from '@nestjs/common';
import { type DirectoryUser, type PasswordCredentials, type UserDirectory, constantTimeEquals } from '@cxauth/domain';
import { OpsCredentials } from '@cxauth/platform';

/**
 * Authorities of the ops user (docs/users.md): `ROLE_OPS` marks the deployment's operator (the
 * environment API lets it write), `ROLE_INTERNAL_CLIENT` matches what the provisioning clients of
 * seed 001 carry, so services that check either accept the ops user's tokens.
 */
export const OPS_USER_AUTHORITIES: readonly string[] = ['ROLE_OPS', 'ROLE_INTERNAL_CLIENT'];

/**
 * The ops user (`ADMIN_USERNAME` / `ADMIN_PASSWORD`, plain or bcrypt). It has no tenant: it answers
 * only for a user name without `tenant\`.
 */
@Injectable()
export class OpsUserDirectory implements UserDirectory {
  readonly name = 'ops';

  constructor(private readonly credentials: OpsCredentials) {}

  async authenticate(credentials: PasswordCredentials): Promise<DirectoryUser | null> {
    if (credentials.tenant !== null) return null;
    if (!constantTimeEquals(credentials.username, this.credentials.username)) return null;
    return (await this.credentials.verify(credentials.username, credentials.password)) ? this.user() : null;
  }

  async findUser(tenant: string | null, username: string): Promise<DirectoryUser | null> {
    if (tenant !== null || !constantTimeEquals(username, this.credentials.username)) return null;
    return this.user();
  }

  private user(): DirectoryUser {
    const username = this.credentials.username;
    return {
      id: username,
      username,
      contactCenterId: null,
      environmentId: null,
      authorities: [...OPS_USER_AUTHORITIES],
      properties: {},
    };
  }
}

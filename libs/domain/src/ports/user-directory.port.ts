/** A user as every directory (local, Configuration Server, LDAP, SAML) describes it. */
export interface DirectoryUser {
  /** System-wide unique name, e.g. `<cc-id>\agent1` or `ops`. */
  id: string;
  username: string;
  contactCenterId: string | null;
  environmentId: string | null;
  dbid?: number;
  email?: string;
  firstName?: string;
  lastName?: string;
  authorities: string[];
  properties: Record<string, string>;
}

export interface PasswordCredentials {
  /** The tenant (a contact-center domain), or null for users outside any contact center. */
  tenant: string | null;
  username: string;
  password: string;
}

/**
 * Port for user authentication. Adapters: the local Postgres directory, the Configuration Server,
 * LDAP. `authenticate` answers null for an unknown user and for a wrong password alike, so callers
 * cannot enumerate users.
 */
export interface UserDirectory {
  readonly name: string;
  authenticate(credentials: PasswordCredentials): Promise<DirectoryUser | null>;
  findUser(tenant: string | null, username: string): Promise<DirectoryUser | null>;
  changePassword?(tenant: string | null, username: string, oldPassword: string, newPassword: string): Promise<boolean>;
}

export const USER_DIRECTORIES = Symbol('USER_DIRECTORIES');

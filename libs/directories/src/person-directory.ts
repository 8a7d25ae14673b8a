/**
 * A person as an external directory (Configuration Server, LDAP) describes it, before auth-api
 * binds it to a contact center. Never carries a password.
 */
export interface DirectoryPerson {
  /** The sign-in name as the directory spells it. */
  userName: string;
  /** Configuration Server DBID of the Person (absent for LDAP). */
  dbid?: number;
  firstName?: string;
  lastName?: string;
  email?: string;
  employeeId?: string;
  authorities: string[];
  /** Extra string facts for `userinfo.properties` (e.g. `tenantDBID`, `agentLogins`). */
  properties: Record<string, string>;
}

/** Why a password was not accepted; only `expired` is ever shown to the user (it follows a right password). */
export type AuthenticationOutcome =
  | { status: 'authenticated'; person: DirectoryPerson }
  | { status: 'rejected' }
  | { status: 'password-expired' };

export type PasswordChangeOutcome = 'changed' | 'rejected' | 'not-allowed' | 'policy';

/**
 * An external directory of one contact center. `authenticate` answers `rejected` for an unknown
 * person, a disabled one and a wrong password alike. Every method throws
 * `DirectoryUnavailableException` when the directory cannot answer — never `rejected`.
 */
export interface PersonDirectory {
  readonly kind: 'configServer' | 'ldap';
  authenticate(userName: string, password: string): Promise<AuthenticationOutcome>;
  /** An enabled person by sign-in name (profile cache first), or null. */
  findByUserName(userName: string): Promise<DirectoryPerson | null>;
  changePassword(userName: string, oldPassword: string, newPassword: string): Promise<PasswordChangeOutcome>;
  /** Releases connections, watchers and timers. */
  close(): Promise<void>;
}

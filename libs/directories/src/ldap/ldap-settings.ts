/** What the LDAP adapter needs, secrets decrypted (the stored form lives with the contact center). */
export interface LdapSettings {
  /** `ldap://` or `ldaps://` URLs, tried in order when one cannot be reached. */
  urls: string[];
  /** Upgrade `ldap://` connections with StartTLS. */
  startTls: boolean;
  /** PEM CA for LDAPS and StartTLS (the system store when absent). Certificates are always verified. */
  caCertificate?: string;
  /** `search`: bind as the service account, find the user, bind as the user. `direct`: bind as `userDnTemplate`. */
  bindMode: 'search' | 'direct';
  bindDn?: string;
  bindPassword?: string;
  userBaseDn: string;
  /** RFC 4515 filter; `{username}` is replaced by the escaped user name. */
  userFilter: string;
  /** Direct bind: e.g. `uid={username},ou=people,dc=example,dc=com` or `{username}@corp.example.com`. */
  userDnTemplate?: string;
  attributes: { username: string; firstName: string; lastName: string; email: string; employeeId: string };
  /** Where group entries are searched; groups come from the user's `memberOf` when absent. */
  groupBaseDn?: string;
  /** `{dn}` and `{username}` are replaced (escaped). */
  groupFilter: string;
  groupNameAttribute: string;
  /** Group name (case-insensitive) → authorities. */
  groupAuthorities: Record<string, string[]>;
  defaultAuthorities: string[];
  /** Active Directory: `userAccountControl` disabled flag, expired-password bind codes, `unicodePwd` changes. */
  activeDirectory: boolean;
  allowPasswordChange: boolean;
  timeoutMs: number;
  connectTimeoutMs: number;
  poolSize: number;
  pageSize: number;
}

/** Defaults for OpenLDAP-style (inetOrgPerson) and Active Directory trees. */
export const LDAP_DEFAULTS = {
  userFilter: '(&(objectClass=inetOrgPerson)(uid={username}))',
  activeDirectoryUserFilter: '(&(objectClass=user)(|(sAMAccountName={username})(userPrincipalName={username})))',
  attributes: { username: 'uid', firstName: 'givenName', lastName: 'sn', email: 'mail', employeeId: 'employeeNumber' },
  activeDirectoryAttributes: {
    username: 'sAMAccountName',
    firstName: 'givenName',
    lastName: 'sn',
    email: 'mail',
    employeeId: 'employeeID',
  },
  groupFilter: '(|(member={dn})(uniqueMember={dn}))',
  groupNameAttribute: 'cn',
  timeoutMs: 5_000,
  connectTimeoutMs: 3_000,
  poolSize: 4,
  pageSize: 500,
} as const;

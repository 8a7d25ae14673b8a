/**
 * A contact center's directory settings as stored (`contact_center.directory`, jsonb), validated by
 * environment-api on write. Secrets are sealed with the shared SecretBox (`…Encrypted`); defaults
 * are applied by the reader (auth-api), so a stored record only holds what the operator set.
 */
export interface StoredLdapDirectory {
  urls: string[];
  startTls: boolean;
  caCertificate?: string;
  bindMode: 'search' | 'direct';
  bindDn?: string;
  bindPasswordEncrypted?: string;
  userBaseDn: string;
  userFilter?: string;
  userDnTemplate?: string;
  attributes?: Partial<Record<'username' | 'firstName' | 'lastName' | 'email' | 'employeeId', string>>;
  groupBaseDn?: string;
  groupFilter?: string;
  groupNameAttribute?: string;
  groupAuthorities: Record<string, string[]>;
  defaultAuthorities: string[];
  activeDirectory: boolean;
  allowPasswordChange: boolean;
  timeoutMs?: number;
  connectTimeoutMs?: number;
  poolSize?: number;
  pageSize?: number;
}

export interface StoredConfigServerDirectory {
  /** Only persons of this Configuration Server tenant belong to the contact center. */
  tenantDbid?: number;
  allowPasswordChange: boolean;
}

export interface ContactCenterDirectoryRecord {
  configServer?: StoredConfigServerDirectory;
  ldap?: StoredLdapDirectory;
}

/** SealContext purpose of an LDAP bind password (the id is the contact center's). */
export const LDAP_BIND_PASSWORD_SEAL = 'contact-center.ldap-bind-password';

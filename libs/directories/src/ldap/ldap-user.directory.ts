import {
  Attribute,
  BerWriter,
  Change,
  Client,
  ConstraintViolationError,
  escapeFilter,
  InsufficientAccessError,
  InvalidCredentialsError,
  ResultCodeError,
  UnwillingToPerformError,
  type Entry,
} from 'ldapts';
import { DirectoryUnavailableException } from '@cxauth/domain';
import { type DirectoryMetrics, outcomeOf } from '../directory-metrics';
import type {
  AuthenticationOutcome,
  DirectoryPerson,
  PasswordChangeOutcome,
  PersonDirectory,
} from '../person-directory';
import { ProfileCache } from '../profile-cache';
import { connect, LdapConnectionPool, LdapUnreachable } from './ldap-connection-pool';
import type { LdapSettings } from './ldap-settings';

const DIRECTORY = 'ldap';
/** RFC 3062 Password Modify extended operation. */
const PASSWORD_MODIFY_OID = '1.3.6.1.4.1.4203.1.11.1';
/** userAccountControl ACCOUNTDISABLE. */
const AD_ACCOUNT_DISABLED = 0x2;
/** AD bind sub-codes (`data 532` etc. in the diagnostic message): password expired, must change. */
const AD_PASSWORD_EXPIRED = /\bdata (532|773)\b/i;

export interface LdapDirectoryDependencies {
  metrics: DirectoryMetrics;
  /** The metrics label: the contact center's environment. */
  environmentId: string;
  profileTtlMs: number;
}

type BindRefusal = Exclude<AuthenticationOutcome, { status: 'authenticated' }>;

interface FoundUser {
  dn: string;
  entry: Entry;
}

/** Escapes a value for an RFC 4515 filter. */
function filterValue(value: string): string {
  return escapeFilter`${value}`;
}

/** Escapes a value for an RFC 4514 DN attribute value. */
function dnValue(value: string): string {
  return value.replace(/[\\,+"<>;=#]/g, (char) => `\\${char}`).replace(/^ | $/g, (char) => `\\${char}`);
}

function first(entry: Entry, attribute: string): string | undefined {
  if (!attribute) return undefined;
  const key = Object.keys(entry).find((name) => name.toLowerCase() === attribute.toLowerCase());
  const value = key ? entry[key] : undefined;
  const item = Array.isArray(value) ? value[0] : value;
  if (item === undefined) return undefined;
  const text = Buffer.isBuffer(item) ? item.toString('utf8') : String(item);
  return text.length > 0 ? text : undefined;
}

function all(entry: Entry, attribute: string): string[] {
  const key = Object.keys(entry).find((name) => name.toLowerCase() === attribute.toLowerCase());
  const value = key ? entry[key] : undefined;
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => (Buffer.isBuffer(item) ? item.toString('utf8') : String(item)));
}

/** `CN=Agents,OU=Groups,DC=corp` → `Agents`. */
function leadingRdnValue(dn: string): string {
  const match = /^[^=]+=((?:\\.|[^,])*)/.exec(dn);
  return match?.[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : dn;
}

/**
 * LDAP / Active Directory with ldapts: search-then-bind (service account) or direct bind, LDAPS or
 * StartTLS verified against the configured CA, a pool of search connections, attribute and group
 * mappings, paged group search, AD's disabled flag and expired-password codes, and password changes
 * (RFC 3062 Password Modify, or AD's `unicodePwd`) where allowed. User-bind connections are always
 * unbound in `finally`. An unreachable server throws DirectoryUnavailableException.
 */
export class LdapUserDirectory implements PersonDirectory {
  readonly kind = DIRECTORY;
  private readonly pool: LdapConnectionPool;
  private readonly profiles: ProfileCache;

  constructor(
    private readonly settings: LdapSettings,
    private readonly deps: LdapDirectoryDependencies,
  ) {
    this.pool = new LdapConnectionPool(this.connectionOptions(), settings.poolSize, async (client) => {
      if (settings.bindDn) await client.bind(settings.bindDn, settings.bindPassword ?? '');
    });
    this.profiles = new ProfileCache(deps.profileTtlMs);
  }

  authenticate(userName: string, password: string): Promise<AuthenticationOutcome> {
    return this.timed('authenticate', async () => {
      // An empty password would be an anonymous bind, which LDAP servers accept.
      if (!password || !this.validName(userName)) return { status: 'rejected' } as const;
      const outcome =
        this.settings.bindMode === 'direct'
          ? await this.authenticateDirect(userName, password)
          : await this.authenticateBySearch(userName, password);
      if (outcome.status === 'authenticated') this.profiles.set(outcome.person);
      return outcome;
    });
  }

  async findByUserName(userName: string): Promise<DirectoryPerson | null> {
    const cached = this.profiles.get(userName);
    if (cached) return cached;
    if (!this.validName(userName) || !this.settings.bindDn) return null;
    return this.timed('find', async () => {
      const person = await this.pool.use(async (client) => {
        const found = await this.searchUser(client, userName);
        if (!found || this.disabled(found.entry)) return null;
        return this.toPerson(client, found);
      });
      if (person) this.profiles.set(person);
      return person;
    });
  }

  changePassword(userName: string, oldPassword: string, newPassword: string): Promise<PasswordChangeOutcome> {
    if (!this.settings.allowPasswordChange) return Promise.resolve('not-allowed');
    return this.timed('change-password', async () => {
      if (!oldPassword || !this.validName(userName)) return 'rejected' as const;
      const dn = await this.userDn(userName);
      if (!dn) return 'rejected' as const;
      const outcome = await this.asUser(dn, oldPassword, async (client) => {
        try {
          await this.writePassword(client, dn, oldPassword, newPassword);
        } catch (error) {
          if (error instanceof ConstraintViolationError) return 'policy' as const;
          if (error instanceof InsufficientAccessError || error instanceof UnwillingToPerformError) {
            return 'not-allowed' as const;
          }
          throw error;
        }
        this.profiles.delete(userName);
        return 'changed' as const;
      });
      return typeof outcome === 'string' ? outcome : ('rejected' as const);
    });
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async authenticateBySearch(userName: string, password: string): Promise<AuthenticationOutcome> {
    const found = await this.pool.use((client) => this.searchUser(client, userName));
    if (!found || this.disabled(found.entry)) return { status: 'rejected' };
    // Groups are read with the service account (users often may not search groups).
    const person = await this.asUser(found.dn, password, () => this.pool.use((search) => this.toPerson(search, found)));
    return 'status' in person ? person : { status: 'authenticated', person };
  }

  private async authenticateDirect(userName: string, password: string): Promise<AuthenticationOutcome> {
    const template = this.settings.userDnTemplate ?? '';
    const bindName = template.replace(/\{username\}/g, template.includes('=') ? dnValue(userName) : userName);
    const person = await this.asUser(bindName, password, async (client) => {
      const found = await this.searchUser(client, userName);
      return found && !this.disabled(found.entry) ? this.toPerson(client, found) : null;
    });
    if (person === null) return { status: 'rejected' };
    return 'status' in person ? person : { status: 'authenticated', person };
  }

  /** Runs `work` on a connection bound as `dn`; a refused bind answers why. Always unbinds. */
  private async asUser<T>(
    dn: string,
    password: string,
    work: (client: Client) => Promise<T>,
  ): Promise<T | BindRefusal> {
    let client: Client;
    try {
      client = await connect(this.connectionOptions(), (fresh) => fresh.bind(dn, password));
    } catch (error) {
      if (error instanceof InvalidCredentialsError) {
        return this.settings.activeDirectory && AD_PASSWORD_EXPIRED.test(error.message)
          ? { status: 'password-expired' }
          : { status: 'rejected' };
      }
      throw error;
    }
    try {
      return await work(client);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  private async writePassword(client: Client, dn: string, oldPassword: string, newPassword: string): Promise<void> {
    if (this.settings.activeDirectory) {
      const quoted = (value: string) => Buffer.from(`"${value}"`, 'utf16le');
      await client.modify(dn, [
        new Change({
          operation: 'delete',
          modification: new Attribute({ type: 'unicodePwd', values: [quoted(oldPassword)] }),
        }),
        new Change({
          operation: 'add',
          modification: new Attribute({ type: 'unicodePwd', values: [quoted(newPassword)] }),
        }),
      ]);
      return;
    }
    const request = new BerWriter();
    request.startSequence();
    request.writeString(dn, 0x80);
    request.writeString(oldPassword, 0x81);
    request.writeString(newPassword, 0x82);
    request.endSequence();
    await client.exop(PASSWORD_MODIFY_OID, request.buffer);
  }

  private async userDn(userName: string): Promise<string | null> {
    if (this.settings.bindMode === 'direct' && this.settings.userDnTemplate?.includes('=')) {
      return this.settings.userDnTemplate.replace(/\{username\}/g, dnValue(userName));
    }
    const found = await this.pool.use((client) => this.searchUser(client, userName));
    return found && !this.disabled(found.entry) ? found.dn : null;
  }

  private async searchUser(client: Client, userName: string): Promise<FoundUser | null> {
    const { attributes } = this.settings;
    const { searchEntries } = await client.search(this.settings.userBaseDn, {
      scope: 'sub',
      filter: this.settings.userFilter.replace(/\{username\}/g, filterValue(userName)),
      sizeLimit: 2,
      attributes: [
        ...Object.values(attributes).filter(Boolean),
        ...(this.settings.activeDirectory ? ['userAccountControl'] : []),
        ...(this.settings.groupBaseDn ? [] : ['memberOf']),
      ],
    });
    // Zero or an ambiguous name: nobody.
    const [entry] = searchEntries;
    if (searchEntries.length !== 1 || entry === undefined) return null;
    return { dn: entry.dn, entry };
  }

  private disabled(entry: Entry): boolean {
    if (!this.settings.activeDirectory) return false;
    const flags = Number(first(entry, 'userAccountControl') ?? 0);
    return (flags & AD_ACCOUNT_DISABLED) !== 0;
  }

  private async toPerson(client: Client, found: FoundUser): Promise<DirectoryPerson> {
    const { attributes } = this.settings;
    const entry = found.entry;
    const groups = await this.groupNames(client, found);
    const authorities = new Set(this.settings.defaultAuthorities);
    const mapping = new Map(
      Object.entries(this.settings.groupAuthorities).map(([group, list]) => [group.toLowerCase(), list] as const),
    );
    for (const group of groups)
      for (const authority of mapping.get(group.toLowerCase()) ?? []) authorities.add(authority);
    const firstName = first(entry, attributes.firstName);
    const lastName = first(entry, attributes.lastName);
    const email = first(entry, attributes.email);
    const employeeId = first(entry, attributes.employeeId);
    const userName = first(entry, attributes.username);
    return {
      userName: userName ?? leadingRdnValue(found.dn),
      ...(firstName && { firstName }),
      ...(lastName && { lastName }),
      ...(email && { email }),
      ...(employeeId && { employeeId }),
      authorities: [...authorities],
      properties: {
        ...(employeeId && { employeeId }),
        ...(groups.length > 0 && { groups: groups.join(',') }),
      },
    };
  }

  private async groupNames(client: Client, found: FoundUser): Promise<string[]> {
    if (!this.settings.groupBaseDn) return all(found.entry, 'memberOf').map(leadingRdnValue);
    const userName = first(found.entry, this.settings.attributes.username) ?? '';
    const { searchEntries } = await client.search(this.settings.groupBaseDn, {
      scope: 'sub',
      filter: this.settings.groupFilter
        .replace(/\{dn\}/g, filterValue(found.dn))
        .replace(/\{username\}/g, filterValue(userName)),
      attributes: [this.settings.groupNameAttribute],
      paged: { pageSize: this.settings.pageSize },
    });
    return searchEntries
      .map((group) => first(group, this.settings.groupNameAttribute) ?? leadingRdnValue(group.dn))
      .sort();
  }

  private validName(userName: string): boolean {
    return userName.length > 0 && userName.length <= 256 && ![...userName].some((char) => char.charCodeAt(0) < 0x20);
  }

  private connectionOptions() {
    const { urls, startTls, caCertificate, timeoutMs, connectTimeoutMs } = this.settings;
    return { urls, startTls, caCertificate, timeoutMs, connectTimeoutMs };
  }

  private timed<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return this.deps.metrics.time(
      { environment: this.deps.environmentId, directory: DIRECTORY, operation },
      async () => {
        try {
          return await call();
        } catch (error) {
          throw this.unavailable(error);
        }
      },
      outcomeOf,
      () => 'unavailable',
    );
  }

  /** Anything but a definite answer (unreachable, timeout, busy, misconfigured search) is an outage. */
  private unavailable(error: unknown): DirectoryUnavailableException {
    if (error instanceof DirectoryUnavailableException) return error;
    const reason =
      error instanceof LdapUnreachable
        ? error.message
        : error instanceof ResultCodeError
          ? `LDAP result ${error.code}: ${error.message}`
          : (error as Error).message;
    return new DirectoryUnavailableException(`ldap:${this.settings.urls[0] ?? ''}`, reason);
  }
}

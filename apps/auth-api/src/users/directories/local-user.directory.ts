import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { DirectoryUser, PasswordCredentials, UserDirectory } from '@cxauth/domain';
import { LocalUserEntity } from '@cxauth/persistence';
import { ContactCenterResolver, ResolvedContactCenter } from '../contact-center-resolver';
import { PasswordHasher } from '../password-hasher';
import { EXTERNAL_DIRECTORY_KINDS } from './contact-center-directories.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What an identity provider says about a user (SSO just-in-time provisioning). */
export interface SsoProfile {
  firstName?: string;
  lastName?: string;
  email?: string;
  authorities: string[];
}

/** The system-wide unique name of a local user: `<contact-center-id>\<lowercased user name>`. */
export function localUserId(contactCenterId: string, username: string): string {
  return `${contactCenterId}\\${username.toLowerCase()}`;
}

export function toDirectoryUser(entity: LocalUserEntity, contactCenter: { environmentId: string }): DirectoryUser {
  return {
    id: localUserId(entity.contactCenterId, entity.username),
    username: entity.username,
    contactCenterId: entity.contactCenterId,
    environmentId: contactCenter.environmentId,
    ...(entity.email ? { email: entity.email } : {}),
    ...(entity.firstName ? { firstName: entity.firstName } : {}),
    ...(entity.lastName ? { lastName: entity.lastName } : {}),
    authorities: [...entity.authorities],
    properties: { ...entity.properties },
  };
}

/**
 * Users kept in PostgreSQL (`local_user`), per contact center, passwords as argon2id hashes. Every
 * failure (no tenant, unknown tenant, unknown user, disabled user, wrong password) spends one argon2
 * verification, so the answer time does not tell them apart — except an unknown user of a contact
 * center with an external directory, which that directory answers next.
 */
@Injectable()
export class LocalUserDirectory implements UserDirectory {
  readonly name = 'local';

  constructor(
    @InjectRepository(LocalUserEntity) private readonly users: Repository<LocalUserEntity>,
    private readonly contactCenters: ContactCenterResolver,
    private readonly hasher: PasswordHasher,
  ) {}

  async authenticate(credentials: PasswordCredentials): Promise<DirectoryUser | null> {
    const found = await this.lookup(credentials.tenant, credentials.username);
    if (!found?.entity) {
      // Users of an external directory are asked next: its round trip, not a dummy hash, is the timing.
      if (found && EXTERNAL_DIRECTORY_KINDS.has(found.contactCenter.auth)) return null;
      return this.hasher.verifyDummy(credentials.password).then(() => null);
    }
    const valid = await this.hasher.verify(found.entity.passwordHash, credentials.password);
    if (!valid || !found.entity.enabled) return null;
    return toDirectoryUser(found.entity, found.contactCenter);
  }

  async findUser(tenant: string | null, username: string): Promise<DirectoryUser | null> {
    const found = await this.lookup(tenant, username);
    return found?.entity?.enabled ? toDirectoryUser(found.entity, found.contactCenter) : null;
  }

  /** Whether the contact center has a local user of this name (enabled or not). */
  async hasUser(contactCenterId: string, username: string): Promise<boolean> {
    if (!UUID.test(contactCenterId) || username.length === 0 || username.length > 255) return false;
    return this.users.existsBy({ contactCenterId, usernameLower: username.toLowerCase() });
  }

  /** By the contact center's id (not a domain), e.g. for a user id `<contact-center-id>\<username>`. */
  async findInContactCenter(contactCenterId: string, username: string): Promise<DirectoryUser | null> {
    if (!UUID.test(contactCenterId) || username.length === 0 || username.length > 255) return null;
    const entity = await this.users.findOneBy({ contactCenterId, usernameLower: username.toLowerCase() });
    if (!entity?.enabled) return null;
    const contactCenter = await this.contactCenters.byId(contactCenterId);
    return contactCenter ? toDirectoryUser(entity, contactCenter) : null;
  }

  /**
   * Just-in-time provisioning (SSO): creates the user with the identity provider's profile and a
   * random password nobody knows (the user signs in through the IdP only), marked `provisioned_by =
   * 'sso'`, or returns the existing one when a concurrent sign-in created it first.
   */
  async provision(
    contactCenter: ResolvedContactCenter,
    profile: SsoProfile & { username: string },
  ): Promise<DirectoryUser | null> {
    const values = {
      contactCenterId: contactCenter.id,
      username: profile.username,
      usernameLower: profile.username.toLowerCase(),
      passwordHash: await this.hasher.hash(randomBytes(32).toString('base64url')),
      email: profile.email ?? null,
      firstName: profile.firstName ?? null,
      lastName: profile.lastName ?? null,
      authorities: profile.authorities,
      properties: {},
      enabled: true,
      provisionedBy: 'sso' as const,
      passwordChangedAt: new Date(),
    };
    await this.users.createQueryBuilder().insert().values(values).orIgnore().execute();
    return this.findInContactCenter(contactCenter.id, profile.username);
  }

  /**
   * At an SSO sign-in of a user created just in time (`provisioned_by = 'sso'`, enabled): stores the
   * identity provider's current authorities, and its names and e-mail where it sent them, when they
   * differ from the stored ones. Null for any other user (created by the operator, disabled, gone),
   * which keeps what is stored. `updated` names the fields written.
   */
  async syncProvisioned(
    contactCenter: ResolvedContactCenter,
    username: string,
    profile: SsoProfile,
  ): Promise<{ user: DirectoryUser; updated: string[] } | null> {
    const entity = await this.users.findOneBy({
      contactCenterId: contactCenter.id,
      usernameLower: username.toLowerCase(),
    });
    if (!entity?.enabled || entity.provisionedBy !== 'sso') return null;
    const changes: Partial<Pick<LocalUserEntity, 'authorities' | 'firstName' | 'lastName' | 'email'>> = {};
    const stored = new Set(entity.authorities);
    if (stored.size !== profile.authorities.length || profile.authorities.some((authority) => !stored.has(authority)))
      changes.authorities = profile.authorities;
    for (const field of ['firstName', 'lastName', 'email'] as const) {
      const value = profile[field];
      if (value !== undefined && value !== entity[field]) changes[field] = value;
    }
    const updated = Object.keys(changes);
    // Only while it is still the IdP's enabled user (an operator may have disabled it meanwhile).
    if (updated.length > 0) {
      const result = await this.users.update({ id: entity.id, provisionedBy: 'sso', enabled: true }, changes);
      if ((result.affected ?? 0) === 0) return null;
    }
    return { user: toDirectoryUser({ ...entity, ...changes }, contactCenter), updated };
  }

  /** Checks the old password and stores a new argon2id hash; false for an unknown user or a wrong password. */
  async changePasswordInContactCenter(
    contactCenterId: string,
    username: string,
    oldPassword: string,
    newPassword: string,
  ): Promise<boolean> {
    const entity = await this.users.findOneBy({ contactCenterId, usernameLower: username.toLowerCase() });
    if (!entity) return this.hasher.verifyDummy(oldPassword);
    if (!(await this.hasher.verify(entity.passwordHash, oldPassword)) || !entity.enabled) return false;
    const passwordHash = await this.hasher.hash(newPassword);
    // Only if the hash is still the one just verified: two concurrent changes cannot both win.
    const result = await this.users.update(
      { id: entity.id, passwordHash: entity.passwordHash },
      { passwordHash, passwordChangedAt: new Date() },
    );
    return (result.affected ?? 0) === 1;
  }

  /** The tenant's contact center and, when it has one of that name, the local user. */
  private async lookup(
    tenant: string | null,
    username: string,
  ): Promise<{ entity: LocalUserEntity | null; contactCenter: ResolvedContactCenter } | null> {
    if (tenant === null || username.length === 0 || username.length > 255) return null;
    const contactCenter = await this.contactCenters.byDomain(tenant);
    if (!contactCenter) return null;
    const entity = await this.users.findOneBy({
      contactCenterId: contactCenter.id,
      usernameLower: username.toLowerCase(),
    });
    return { entity, contactCenter };
  }
}

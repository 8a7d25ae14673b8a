import { Injectable } from '@nestjs/common';
import type { DirectoryPerson, PasswordChangeOutcome } from '@cxauth/directories';
import type { DirectoryUser, PasswordCredentials, UserDirectory } from '@cxauth/domain';
import { ContactCenterResolver, ResolvedContactCenter } from '../contact-center-resolver';
import { ContactCenterDirectories } from './contact-center-directories.service';
import { localUserId } from './local-user.directory';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A directory person bound to its contact center; the id has the local users' form. */
export function toContactCenterUser(person: DirectoryPerson, contactCenter: ResolvedContactCenter): DirectoryUser {
  return {
    id: localUserId(contactCenter.id, person.userName),
    username: person.userName,
    contactCenterId: contactCenter.id,
    environmentId: contactCenter.environmentId,
    ...(person.dbid !== undefined && { dbid: person.dbid }),
    ...(person.email && { email: person.email }),
    ...(person.firstName && { firstName: person.firstName }),
    ...(person.lastName && { lastName: person.lastName }),
    authorities: [...person.authorities],
    properties: { ...person.properties },
  };
}

/**
 * The users of contact centers whose `auth` is `configServer` or `ldap`: resolves the tenant, then
 * asks that contact center's directory (ContactCenterDirectories). Throws
 * DirectoryUnavailableException when the directory cannot answer.
 */
@Injectable()
export class ExternalUserDirectory implements UserDirectory {
  readonly name = 'contact-center';

  constructor(
    private readonly contactCenters: ContactCenterResolver,
    private readonly directories: ContactCenterDirectories,
  ) {}

  async authenticate(credentials: PasswordCredentials): Promise<DirectoryUser | null> {
    const found = await this.resolve(credentials.tenant);
    if (!found) return null;
    const outcome = await found.directory.authenticate(credentials.username, credentials.password);
    // An expired password counts as a refusal here; the user changes it on the change-password page.
    return outcome.status === 'authenticated' ? toContactCenterUser(outcome.person, found.contactCenter) : null;
  }

  async findUser(tenant: string | null, username: string): Promise<DirectoryUser | null> {
    const found = await this.resolve(tenant);
    if (!found) return null;
    const person = await found.directory.findByUserName(username);
    return person ? toContactCenterUser(person, found.contactCenter) : null;
  }

  /** By the contact center's id, e.g. for a user id `<contact-center-id>\<username>` (refresh, jwt-bearer). */
  async findInContactCenter(contactCenterId: string, username: string): Promise<DirectoryUser | null> {
    if (!UUID.test(contactCenterId) || username.length === 0 || username.length > 255) return null;
    const contactCenter = await this.contactCenters.byId(contactCenterId);
    const directory = contactCenter ? await this.directories.forContactCenter(contactCenter) : null;
    if (!contactCenter || !directory) return null;
    const person = await directory.findByUserName(username);
    return person ? toContactCenterUser(person, contactCenter) : null;
  }

  async changePasswordInContactCenter(
    contactCenter: ResolvedContactCenter,
    username: string,
    oldPassword: string,
    newPassword: string,
  ): Promise<PasswordChangeOutcome> {
    const directory = await this.directories.forContactCenter(contactCenter);
    if (!directory) return 'rejected';
    return directory.changePassword(username, oldPassword, newPassword);
  }

  private async resolve(tenant: string | null) {
    if (tenant === null) return null;
    const contactCenter = await this.contactCenters.byDomain(tenant);
    const directory = contactCenter ? await this.directories.forContactCenter(contactCenter) : null;
    return contactCenter && directory ? { contactCenter, directory } : null;
  }
}

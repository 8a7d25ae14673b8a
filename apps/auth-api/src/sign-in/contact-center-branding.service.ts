import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ContactCenterSettingEntity } from '@cxauth/persistence';
import { ContactCenterResolver } from '../users/contact-center-resolver';

/** The contact-center setting whose value the sign-in pages show as the contact center's name. */
export const DISPLAY_NAME_SETTING = 'display-name';
const MAX_DISPLAY_NAME = 80;

/**
 * Branding of the sign-in pages when the tenant is known (authorize `tenant`/`login_hint`, or the tenant
 * field of a previous attempt): the `display-name` setting of the tenant's contact center
 * (POST /environment/v3/contact-centers/{id}/settings).
 */
@Injectable()
export class ContactCenterBranding {
  constructor(
    private readonly contactCenters: ContactCenterResolver,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async displayName(tenant: string | undefined): Promise<string | null> {
    if (!tenant) return null;
    const contactCenter = await this.contactCenters.byDomain(tenant);
    if (!contactCenter) return null;
    const settings = await this.dataSource.getRepository(ContactCenterSettingEntity).find({
      where: { contactCenterId: contactCenter.id, name: DISPLAY_NAME_SETTING },
      select: { value: true, location: true },
    });
    // The global location ("/") first, then any other.
    const setting = settings.find((row) => row.location === '/') ?? settings[0];
    const value = setting?.value.trim();
    return value ? value.slice(0, MAX_DISPLAY_NAME) : null;
  }
}

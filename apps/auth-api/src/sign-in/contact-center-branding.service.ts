import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { ContactCenterSettingEntity } from '@cxauth/persistence';
import { ContactCenterResolver } from '../users/contact-center-resolver';

/** Contact-center settings (POST /environment/v3/contact-centers/{id}/settings) that brand the sign-in pages. */
export const BRANDING_SETTINGS = {
  /** The contact center's name on the pages. */
  name: 'display-name',
  /** Its logo: an https:// URL, or a data:image/… URI (PNG, JPEG, GIF, WebP or SVG). */
  logo: 'logo',
  /** Its colour, `#rrggbb`: the header band and buttons (auth-ui keeps text contrast at 4.5:1). */
  color: 'brand-color',
} as const;

export interface Branding {
  name: string | null;
  logo: string | null;
  color: string | null;
}

const MAX_NAME = 80;
const LOGO = /^(https:\/\/[^\s"'<>]+|data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/]+={0,2})$/;
const COLOR = /^#[0-9a-fA-F]{6}$/;

/**
 * Branding of the sign-in pages when the tenant is known (authorize `tenant`/`login_hint`, or the tenant
 * of an earlier attempt). Values that do not have the expected form are ignored, so a typo in a setting
 * never breaks the page.
 */
@Injectable()
export class ContactCenterBranding {
  constructor(
    private readonly contactCenters: ContactCenterResolver,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async of(tenant: string | undefined): Promise<Branding | null> {
    if (!tenant) return null;
    const contactCenter = await this.contactCenters.byDomain(tenant);
    if (!contactCenter) return null;
    const rows = await this.dataSource.getRepository(ContactCenterSettingEntity).find({
      where: { contactCenterId: contactCenter.id, name: In(Object.values(BRANDING_SETTINGS)) },
      select: { name: true, value: true, location: true },
    });
    // The global location ("/") first, then any other.
    const value = (name: string) =>
      (
        rows.find((row) => row.name === name && row.location === '/') ?? rows.find((row) => row.name === name)
      )?.value.trim();
    const name = value(BRANDING_SETTINGS.name);
    const logo = value(BRANDING_SETTINGS.logo);
    const color = value(BRANDING_SETTINGS.color);
    return {
      name: name ? name.slice(0, MAX_NAME) : null,
      logo: logo && LOGO.test(logo) && URL.canParse(logo) ? logo : null,
      color: color && COLOR.test(color) ? color.toLowerCase() : null,
    };
  }
}

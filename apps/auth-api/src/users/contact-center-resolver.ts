import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ContactCenterDomainEntity, ContactCenterEntity } from '@cxauth/persistence';

/** The contact center a login domain (the `tenant` of `tenant\user`) belongs to. */
export interface ResolvedContactCenter {
  id: string;
  environmentId: string;
  auth: string;
}

/**
 * Resolves tenants through the contact centers' `domains` (environment-api's tables, read here).
 * Domains compare case-insensitively: they are stored lowercased and looked up lowercased. Not cached:
 * the password grant already spends an argon2 verification, and an uncached read sees a domain
 * removal at once.
 */
@Injectable()
export class ContactCenterResolver {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async byDomain(domain: string): Promise<ResolvedContactCenter | null> {
    const normalized = domain.trim().toLowerCase();
    if (!normalized || normalized.length > 255) return null;
    const row = await this.dataSource
      .getRepository(ContactCenterDomainEntity)
      .createQueryBuilder('d')
      .innerJoin(ContactCenterEntity, 'cc', 'cc.id = d.contact_center_id')
      .select(['cc.id AS id', 'cc.environment_id AS "environmentId"', 'cc.auth AS auth'])
      .where('d.domain = :domain', { domain: normalized })
      .getRawOne<ResolvedContactCenter>();
    return row ?? null;
  }

  async byId(id: string): Promise<ResolvedContactCenter | null> {
    const row = await this.dataSource
      .getRepository(ContactCenterEntity)
      .findOne({ where: { id }, select: { id: true, environmentId: true, auth: true } });
    return row ? { id: row.id, environmentId: row.environmentId, auth: row.auth } : null;
  }
}

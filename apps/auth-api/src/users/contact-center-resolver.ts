import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { ContactCenterDomainEntity, ContactCenterEntity, EnvironmentEntity } from '@cxauth/persistence';

/** The contact center a login domain (the `tenant` of `tenant\user`) belongs to. */
export interface ResolvedContactCenter {
  id: string;
  environmentId: string;
  auth: string;
  /** Changes whenever the contact center or its environment is written (their `updated_at`). */
  version: string;
}

interface ResolvedRow {
  id: string;
  environmentId: string;
  auth: string;
  ccUpdatedAt: string;
  environmentUpdatedAt: string;
}

/**
 * Resolves tenants through the contact centers' `domains` (environment-api's tables, read here).
 * Domains compare case-insensitively: they are stored lowercased and looked up lowercased. Not cached:
 * the password grant already spends an argon2 verification or a directory call, and an uncached read
 * sees a domain removal — and, through `version`, a directory setting change — at once on every replica.
 */
@Injectable()
export class ContactCenterResolver {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async byDomain(domain: string): Promise<ResolvedContactCenter | null> {
    const normalized = domain.trim().toLowerCase();
    if (!normalized || normalized.length > 255) return null;
    const row = await this.select()
      .innerJoin(ContactCenterDomainEntity, 'd', 'd.contact_center_id = cc.id')
      .where('d.domain = :domain', { domain: normalized })
      .getRawOne<ResolvedRow>();
    return row ? resolved(row) : null;
  }

  async byId(id: string): Promise<ResolvedContactCenter | null> {
    const row = await this.select().where('cc.id = :id', { id }).getRawOne<ResolvedRow>();
    return row ? resolved(row) : null;
  }

  private select(): SelectQueryBuilder<ContactCenterEntity> {
    return this.dataSource
      .getRepository(ContactCenterEntity)
      .createQueryBuilder('cc')
      .innerJoin(EnvironmentEntity, 'env', 'env.id = cc.environment_id')
      .select([
        'cc.id AS id',
        'cc.environment_id AS "environmentId"',
        'cc.auth AS auth',
        'cc.updated_at::text AS "ccUpdatedAt"',
        'env.updated_at::text AS "environmentUpdatedAt"',
      ]);
  }
}

function resolved(row: ResolvedRow): ResolvedContactCenter {
  return {
    id: row.id,
    environmentId: row.environmentId,
    auth: row.auth,
    version: `${row.auth}|${row.ccUpdatedAt}|${row.environmentUpdatedAt}`,
  };
}

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OAuthClientEntity } from '@cxauth/persistence';
import { type EnvironmentPrincipal, OPS_AUTHORITY } from './principal';

/** The contact centers a caller may see and change: every one, or a fixed set (possibly empty). */
export type TenantReach = { all: true } | { all: false; contactCenterIds: ReadonlySet<string> };

const EVERY_CONTACT_CENTER: TenantReach = { all: true };

export function reaches(reach: TenantReach, contactCenterId: string): boolean {
  return reach.all || reach.contactCenterIds.has(contactCenterId);
}

/**
 * Which tenants a caller reaches: the operator (ops Basic or a ROLE_OPS token) and clients bound to no
 * contact center (the product's GWS client) reach every one; a client bound to contact centers
 * (`contactCenterIds`) reaches those; a user token reaches its user's contact center only. A token whose
 * subject is neither a client nor a user of a contact center reaches none: user and client names share
 * one namespace, so a user is never given a client's reach by its name alone.
 */
@Injectable()
export class CallerTenants {
  constructor(private readonly dataSource: DataSource) {}

  async reach(principal: EnvironmentPrincipal): Promise<TenantReach> {
    if (principal.kind === 'ops' || principal.authorities.includes(OPS_AUTHORITY)) return EVERY_CONTACT_CENTER;
    if (principal.contactCenterId) return { all: false, contactCenterIds: new Set([principal.contactCenterId]) };
    const client = await this.dataSource
      .getRepository(OAuthClientEntity)
      .findOne({ where: { clientId: principal.username }, select: { clientId: true, contactCenterIds: true } });
    if (!client) return { all: false, contactCenterIds: new Set() };
    const bound = client.contactCenterIds ?? [];
    return bound.length === 0 ? EVERY_CONTACT_CENTER : { all: false, contactCenterIds: new Set(bound) };
  }
}

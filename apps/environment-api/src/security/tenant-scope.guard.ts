import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { DomainException } from '@cxauth/domain';
import { OAuthClientEntity, READS } from '@cxauth/persistence';
import { OPS_AUTHORITY, RequestWithPrincipal } from './principal';

/**
 * What a write touches: `global` (environments, creating contact centers) or `contact-center` (the
 * contact center named by the route's `:id`, with its settings and identity provider).
 */
export type WriteScope = 'global' | 'contact-center';
export const WRITE_SCOPE = 'cxauth:write-scope';
export const WritesTo = (scope: WriteScope) => SetMetadata(WRITE_SCOPE, scope);

/**
 * Tenant scoping of writes. A service token whose client is bound to contact centers
 * (`contactCenterIds`) may write only those contact centers and nothing global; the operator (ops Basic
 * or a ROLE_OPS token), user tokens, and clients without a binding (the product's GWS client) keep full
 * rights. 403 (code 4) otherwise. One primary-key read per scoped write; reads are not checked.
 */
@Injectable()
export class TenantScopeGuard implements CanActivate {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const scope = this.reflector.getAllAndOverride<WriteScope | undefined>(WRITE_SCOPE, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<RequestWithPrincipal & { params: Record<string, string> }>();
    const principal = request.principal;
    if (
      !scope ||
      READS.has(request.method) ||
      !principal ||
      principal.kind === 'ops' ||
      principal.authorities.includes(OPS_AUTHORITY)
    )
      return true;
    // A user token names its user's contact center; a client token's user name is its client id.
    if (principal.contactCenterId) return true;
    const client = await this.dataSource
      .getRepository(OAuthClientEntity)
      .findOne({ where: { clientId: principal.username }, select: { clientId: true, contactCenterIds: true } });
    const bound = client?.contactCenterIds ?? [];
    if (bound.length === 0) return true;
    if (scope === 'contact-center' && bound.includes(request.params.id ?? '')) return true;
    throw new DomainException(
      'FORBIDDEN',
      scope === 'global'
        ? 'This client is bound to contact centers: it may not change environments or create contact centers'
        : 'This client may write only the contact centers it is bound to',
    );
  }
}

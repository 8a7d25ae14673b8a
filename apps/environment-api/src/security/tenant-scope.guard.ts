import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AUDIT_LOG, type AuditLog, DomainException } from '@cxauth/domain';
import { READS } from '@cxauth/persistence';
import { recordAccessDenied } from './access-denied';
import { CallerTenants, reaches } from './caller-tenants';
import { RequestWithPrincipal } from './principal';

/**
 * What a write touches: `global` (environments, creating contact centers) or `contact-center` (the
 * contact center named by the route's `:id`, with its settings and identity provider).
 */
export type WriteScope = 'global' | 'contact-center';
export const WRITE_SCOPE = 'cxauth:write-scope';
export const WritesTo = (scope: WriteScope) => SetMetadata(WRITE_SCOPE, scope);

/** Reads of the contact center named by the route's `:id`: a caller that does not reach it gets 404. */
export const SCOPED_READ = 'cxauth:scoped-read';
export const ReadsContactCenter = () => SetMetadata(SCOPED_READ, true);

/**
 * Tenant scoping (CallerTenants): a global write needs a caller that reaches every contact center; a
 * write to a contact center needs one that reaches it (403, code 4, otherwise); a read of a contact
 * center it does not reach answers 404 like an unknown id, so other tenants' ids are not confirmed.
 * The operator and unbound clients pass without a database read; others cost one primary-key read.
 * A refused write is an `access_denied` audit event (reason `tenant_scope`).
 */
@Injectable()
export class TenantScopeGuard implements CanActivate {
  constructor(
    private readonly tenants: CallerTenants,
    private readonly reflector: Reflector,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<RequestWithPrincipal & { params: Record<string, string> }>();
    const read = READS.has(request.method);
    const scope = read
      ? this.reflector.getAllAndOverride<boolean | undefined>(SCOPED_READ, targets) && 'contact-center'
      : this.reflector.getAllAndOverride<WriteScope | undefined>(WRITE_SCOPE, targets);
    const principal = request.principal;
    if (!scope || !principal) return true;
    const reach = await this.tenants.reach(principal);
    if (reach.all) return true;
    if (scope === 'contact-center' && reaches(reach, request.params.id ?? '')) return true;
    // The same answer as an unknown id.
    if (read) throw new DomainException('NOT_FOUND', `Contact center ${request.params.id} does not exist`);
    await recordAccessDenied(this.audit, request, principal, 'tenant_scope');
    throw new DomainException(
      'FORBIDDEN',
      scope === 'global'
        ? 'This caller is bound to contact centers: it may not change environments or create contact centers'
        : 'This caller may write only the contact centers it is bound to',
    );
  }
}

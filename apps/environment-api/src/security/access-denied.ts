import { type AuditLog, auditOrigin } from '@cxauth/domain';
import { READS } from '@cxauth/persistence';
import type { RequestWithPrincipal } from './principal';

/** Why an authenticated caller was refused (403): the rule it did not meet. */
export type DenialReason = 'ops_basic_only' | 'ops_only' | 'authority' | 'tenant_scope';

/**
 * A write refused with 403 to a caller whose credentials were good is an `access_denied` audit event:
 * only a token holder can cause one, a working integration never does, and each is a caller reaching
 * beyond its rights (another tenant's contact center, the global CORS list, the data-center map).
 * Refused reads are not recorded (a read of another tenant answers 404 like an unknown id, and
 * dashboards would fill the trail), nor are 401s (anyone can send those; wrong ops passwords are
 * recorded as `sign_in` failures by the credential check).
 */
export async function recordAccessDenied(
  audit: AuditLog,
  request: RequestWithPrincipal & { params?: unknown },
  caller: { username: string; contactCenterId?: string },
  reason: DenialReason,
): Promise<void> {
  if (READS.has(request.method)) return;
  const id = (request.params as Record<string, string> | undefined)?.id;
  await audit.record({
    type: 'access_denied',
    outcome: 'failure',
    actor: caller.username,
    target: id ?? null,
    tenant: caller.contactCenterId ?? null,
    ...auditOrigin(request),
    detail: { reason, method: request.method, route: request.routeOptions?.url ?? null },
  });
}

/** The security events the audit trail records (README "Security", `GET /auth/v3/ops/audit-events`). */
export const AUDIT_EVENT_TYPES = [
  'sign_in',
  'lockout',
  'unlock',
  'client_created',
  'client_updated',
  'client_deleted',
  'user_created',
  'user_updated',
  'user_deleted',
  'signing_key_rotated',
  'token_exchange',
  'sign_out',
  'environment_created',
  'environment_updated',
  'environment_deleted',
  'contact_center_created',
  'contact_center_updated',
  'contact_center_deleted',
  'contact_center_setting_changed',
  'identity_provider_changed',
  'identity_provider_deleted',
  'cors_origin_added',
  'cors_origin_removed',
  'data_center_created',
  'data_center_updated',
  'data_center_deleted',
  'password_changed',
  'access_denied',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/**
 * Who did what, to what, for which client and tenant, from where, with what outcome, in which
 * request. Never a secret: no password, client secret, token, code or assertion goes in it.
 */
export interface AuditEvent {
  type: AuditEventType;
  outcome: 'success' | 'failure';
  actor?: string | null;
  target?: string | null;
  clientId?: string | null;
  tenant?: string | null;
  sourceIp?: string | null;
  requestId?: string | null;
  detail?: Record<string, string | number | boolean | null>;
}

/** Where a request came from, as the audit trail keeps it. */
export interface AuditRequest {
  id: string;
  ip: string;
}

export function auditOrigin(request: AuditRequest): Pick<AuditEvent, 'sourceIp' | 'requestId'> {
  return { sourceIp: request.ip, requestId: request.id };
}

/** Port: PostgreSQL (`audit_event`) plus one structured log line per event. Never throws. */
export interface AuditLog {
  record(event: AuditEvent): Promise<void>;
}

export const AUDIT_LOG = Symbol('AUDIT_LOG');

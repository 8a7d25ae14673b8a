import type { TestDatabase } from './test-database';

/** One `audit_event` row as the tests read it. */
export interface AuditEventRow {
  type: string;
  outcome: string;
  actor: string | null;
  target: string | null;
  client_id: string | null;
  tenant: string | null;
  source_ip: string | null;
  request_id: string | null;
  detail: Record<string, unknown> | null;
}

/** The audit events a request (`X-Request-Id`) left, oldest first (stored before its answer left). */
export function auditEventsOf(database: TestDatabase, requestId: string): Promise<AuditEventRow[]> {
  return database.query<AuditEventRow>(
    `SELECT type, outcome, actor, target, client_id, tenant, source_ip, request_id, detail
       FROM audit_event WHERE request_id = $1 ORDER BY id`,
    [requestId],
  );
}

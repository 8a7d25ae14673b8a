import { z } from 'zod';
import { AUDIT_EVENT_TYPES } from '@cxauth/domain';

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z' });

/** `GET /auth/v3/ops/audit-events` filters and paging (newest first). */
export const auditEventsQuerySchema = z
  .strictObject({
    type: z.enum(AUDIT_EVENT_TYPES).optional(),
    /** The actor or the target (a user name, user id or `ops`). */
    user: z.string().min(1).max(512).optional(),
    client: z.string().min(1).max(255).optional(),
    since: instant.optional(),
    until: instant.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .refine((query) => !query.since || !query.until || Date.parse(query.since) <= Date.parse(query.until), {
    message: 'since must not be after until',
    path: ['since'],
  });

export type AuditEventsQuery = z.infer<typeof auditEventsQuerySchema>;

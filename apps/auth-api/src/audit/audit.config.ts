import { z } from 'zod';
import { envInt } from '@cxauth/platform';

export const auditConfigSchema = z.object({
  /** Audit events older than this are purged. */
  AUDIT_RETENTION_DAYS: envInt(1, 3650).default(90),
  /** How often a replica tries the purge (one replica at a time runs it, under an advisory lock). 0: never. */
  AUDIT_PURGE_INTERVAL_SECONDS: envInt(0, 86_400).default(3_600),
});

export type AuditConfig = z.infer<typeof auditConfigSchema>;

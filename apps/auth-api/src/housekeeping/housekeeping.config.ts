import { z } from 'zod';
import { envBoolean, envInt } from '@cxauth/platform';

/** Background jobs of auth-api (README "Operations", housekeeping). */
export const housekeepingConfigSchema = z.object({
  /** Run the purge and rotation jobs on this replica (the advisory lock lets one replica run each at a time). */
  HOUSEKEEPING_ENABLED: envBoolean.default(true),
  /** How often each purge job runs (seconds). */
  HOUSEKEEPING_INTERVAL_SECONDS: envInt(10, 7 * 24 * 3600).default(600),
  /** Rows deleted per statement. */
  HOUSEKEEPING_BATCH_SIZE: envInt(1, 100_000).default(5000),
  /** Statements per run at most; the next run continues where this one stopped. */
  HOUSEKEEPING_MAX_BATCHES: envInt(1, 10_000).default(50),
  /** Revoked refresh tokens are kept this long before the purge deletes them (seconds). */
  HOUSEKEEPING_REVOKED_RETENTION_SECONDS: envInt(0, 365 * 24 * 3600).default(24 * 3600),
  /** Rotate the signing key once the active one is this old (seconds); 0: only on the ops endpoint. */
  SIGNING_KEY_ROTATION_INTERVAL_SECONDS: envInt(0, 5 * 365 * 24 * 3600).default(0),
});

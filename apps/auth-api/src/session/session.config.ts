import { z } from 'zod';
import { envInt } from '@cxauth/platform';

/** Browser sessions (the cookie set by POST /auth/v3/sign-in). */
export const sessionConfigSchema = z.object({
  /** A session unused for this long ends (seconds; /ping and /oauth/authorize count as use). */
  SESSION_IDLE_TIMEOUT_SECONDS: envInt(60, 7 * 24 * 3600).default(3600),
  /** A session ends this long after sign-in however busy it is (seconds). */
  SESSION_ABSOLUTE_TIMEOUT_SECONDS: envInt(60, 30 * 24 * 3600).default(8 * 3600),
  /** How long a pending sign-in (the reference carried to the sign-in page) stays usable (seconds). */
  SIGN_IN_REQUEST_TIMEOUT_SECONDS: envInt(60, 24 * 3600).default(1800),
  /** Failures padded to at least this long so unknown users and wrong passwords take similar time (ms). */
  SIGN_IN_FAILURE_MIN_MS: envInt(0, 10_000).default(400),
});

export type SessionConfig = z.infer<typeof sessionConfigSchema>;

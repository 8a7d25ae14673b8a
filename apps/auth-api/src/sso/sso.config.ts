import { z } from 'zod';
import { envInt } from '@cxauth/platform';

/** Single sign-on through a contact center's identity provider (docs/sso.md). */
export const ssoConfigSchema = z.object({
  /** Longest wait for an identity provider's discovery, token and userinfo endpoints (seconds). */
  SSO_IDP_TIMEOUT_SECONDS: envInt(1, 120).default(10),
  /** How long a browser may stay at the identity provider before the sign-in must start again (seconds). */
  SSO_STATE_TIMEOUT_SECONDS: envInt(60, 3600).default(600),
  /** Clock difference tolerated on SAML NotBefore / NotOnOrAfter (seconds). */
  SSO_CLOCK_SKEW_SECONDS: envInt(0, 300).default(60),
});

export type SsoConfig = z.infer<typeof ssoConfigSchema>;

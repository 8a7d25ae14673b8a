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
  /** A SAML IdP's metadata read from its metadataUrl is read again when it is older than this (seconds). */
  SSO_METADATA_REFRESH_SECONDS: envInt(5, 86_400).default(3600),
  /** Least time between two reads of one IdP's metadata (after a failure, or for a signing key we do not know). */
  SSO_METADATA_RETRY_SECONDS: envInt(1, 3600).default(60),
});

export type SsoConfig = z.infer<typeof ssoConfigSchema>;

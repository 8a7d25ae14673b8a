import { z } from 'zod';
import {
  corsConfigSchema,
  databaseConfigSchema,
  encryptionConfigSchema,
  envInt,
  envUrl,
  inMemoryRedisOnlyLocally,
  strongAdminPassword,
  loginThrottleConfigSchema,
  opsCredentialsConfigSchema,
  redisConfigSchema,
  serviceConfigSchema,
} from '@cxauth/platform';

/** Every variable environment-api reads; validated once at boot (docs/environment-api.md). */
export const environmentApiConfigSchema = z
  .object({
    ...serviceConfigSchema.shape,
    ...databaseConfigSchema.shape,
    ...redisConfigSchema.shape,
    ...opsCredentialsConfigSchema.shape,
    ...loginThrottleConfigSchema.shape,
    ...encryptionConfigSchema.shape,
    ...corsConfigSchema.shape,
    /** Where bearer tokens are validated (in-cluster auth-api Service), e.g. http://gauth-auth. */
    AUTH_API_URL: envUrl(/^https?:\/\//, 'an http(s):// URL'),
    /** Bearer tokens: authorities (any one of them) that may use this API. The ops user always may. */
    ENVIRONMENT_AUTHORITIES: z
      .string()
      .regex(/^[A-Za-z0-9_:.-]+(,[A-Za-z0-9_:.-]+)*$/, 'must be a comma-separated list of authorities')
      .default('ROLE_INTERNAL_CLIENT,ROLE_OPS')
      .transform((value) => value.split(',')),
    /** How long a valid bearer token's userinfo answer is reused (never past the token's expiry). */
    TOKEN_CACHE_TTL_MS: envInt(0, 300_000).default(30_000),
    /** How long a refused bearer token stays refused without asking auth-api again. */
    TOKEN_NEGATIVE_CACHE_TTL_MS: envInt(0, 60_000).default(5_000),
    /** Timeout of one call to auth-api's /auth/v3/userinfo. */
    AUTH_API_TIMEOUT_MS: envInt(100, 60_000).default(3_000),
    /**
     * A JSON file of identity providers (`[{contactCenterId, type, oidc | saml, ...}]`, the body of
     * PUT /contact-centers/{id}/identity-provider plus the contact center), applied at boot and whenever
     * its content changes (docs/sso.md "From the Helm chart"). Unset: providers come from the API only.
     */
    IDENTITY_PROVIDERS_FILE: z.string().min(1).optional(),
    /** How often IDENTITY_PROVIDERS_FILE is read again (a mounted Secret changes in place). */
    IDENTITY_PROVIDERS_POLL_SECONDS: envInt(1, 3600).default(30),
  })
  .superRefine(inMemoryRedisOnlyLocally)
  .superRefine(strongAdminPassword);

export type EnvironmentApiConfig = z.infer<typeof environmentApiConfigSchema>;

import { z } from 'zod';
import {
  corsConfigSchema,
  databaseConfigSchema,
  encryptionConfigSchema,
  envBoolean,
  envInt,
  envUrl,
  inMemoryRedisOnlyLocally,
  strongAdminPassword,
  loginThrottleConfigSchema,
  opsCredentialsConfigSchema,
  redisConfigSchema,
  serviceConfigSchema,
} from '@cxauth/platform';
import { auditConfigSchema } from './audit/audit.config';
import { sessionConfigSchema } from './session/session.config';
import { ssoConfigSchema } from './sso/sso.config';
import { directoriesConfigSchema } from './users/directories/directories.config';
import { housekeepingConfigSchema } from './housekeeping/housekeeping.config';

/** Every variable auth-api reads; validated once at boot (README "Configuration"). */
export const authApiConfigSchema = z
  .object({
    ...serviceConfigSchema.shape,
    ...databaseConfigSchema.shape,
    ...redisConfigSchema.shape,
    ...opsCredentialsConfigSchema.shape,
    ...loginThrottleConfigSchema.shape,
    ...encryptionConfigSchema.shape,
    ...corsConfigSchema.shape,
    ...sessionConfigSchema.shape,
    ...directoriesConfigSchema.shape,
    ...ssoConfigSchema.shape,
    ...housekeepingConfigSchema.shape,
    ...auditConfigSchema.shape,
    /** The public base URL (`https://gauth.<domain>`): the token issuer and the base of redirects. */
    PUBLIC_BASE_URL: envUrl(/^https?:\/\//, 'an http(s):// URL'),
    /** Algorithm of new signing keys (JWT access tokens, id tokens, X-GWS-User). */
    TOKEN_SIGNING_ALGORITHM: z.enum(['ES256', 'RS256']).default('ES256'),
    /** How long a rotated-out signing key stays in the JWKS and keeps verifying (seconds; default 7 days). */
    SIGNING_KEY_RETENTION_SECONDS: envInt(60, 365 * 24 * 3600).default(7 * 24 * 3600),
    /** argon2 hashes and verifications running at once; the rest of libuv's pool stays free for signatures. */
    PASSWORD_HASH_CONCURRENCY: envInt(1, 1023).default(3),
    /** Opaque access and refresh tokens: 256 random bits (`random`, 43 base64url characters) or a UUIDv4 (`uuid`, 122 bits, as the product). */
    OPAQUE_TOKEN_FORMAT: z.enum(['random', 'uuid']).default('random'),
    /**
     * PKCE (RFC 7636) for a newly created confidential client when the request does not say
     * (`requirePkce`); PUBLIC clients always require it. Stored clients keep their own setting.
     */
    PKCE_REQUIRED_FOR_NEW_CLIENTS: envBoolean.default(true),
    /** Shortest client secret an operator may set (0: any, as the product; shorter ones are still reported as weak). */
    CLIENT_SECRET_MIN_LENGTH: envInt(0, 512).default(0),
    /** How long a spent refresh token still returns the same successor pair (a retry, two tabs) instead of revoking its family. */
    REFRESH_TOKEN_REUSE_GRACE_SECONDS: envInt(0, 300).default(5),
    /** libuv's thread pool size. Node reads it itself at start; here it is only checked against the above. */
    UV_THREADPOOL_SIZE: envInt(1, 1024).default(4),
  })
  .refine((config) => config.PASSWORD_HASH_CONCURRENCY < config.UV_THREADPOOL_SIZE, {
    path: ['PASSWORD_HASH_CONCURRENCY'],
    message: 'must be lower than UV_THREADPOOL_SIZE (default 4), so JWT signatures always find a free thread',
  })
  .superRefine(inMemoryRedisOnlyLocally)
  .superRefine(strongAdminPassword);

export type AuthApiConfig = z.infer<typeof authApiConfigSchema>;

import { z } from 'zod';
import {
  databaseConfigSchema,
  encryptionConfigSchema,
  envBoolean,
  envUrl,
  opsCredentialsConfigSchema,
  redisConfigSchema,
  serviceConfigSchema,
} from '@cxauth/platform';

/** Every variable environment-api reads; validated once at boot (README "Configuration"). */
export const environmentApiConfigSchema = z.object({
  ...serviceConfigSchema.shape,
  ...databaseConfigSchema.shape,
  ...redisConfigSchema.shape,
  ...opsCredentialsConfigSchema.shape,
  ...encryptionConfigSchema.shape,
  /** Where bearer tokens are validated (in-cluster auth-api Service), e.g. http://cxauth-auth-api. */
  AUTH_API_URL: envUrl(/^https?:\/\//, 'an http(s):// URL'),
  /** This deployment's location (region), e.g. /USW1; compared with the data-center records. */
  LOCATION: z.string().regex(/^\/[A-Za-z0-9_-]*$/, 'must look like /USW1 (or / for none)').default('/'),
  /** Take writes even when this location's data center is marked read-only. */
  FORCE_WRITABLE: envBoolean.default(false),
  /** With no CORS origin configured: allow every origin (the product's behaviour) or deny. */
  CORS_DEFAULT: z.enum(['allow', 'deny']).default('allow'),
});

export type EnvironmentApiConfig = z.infer<typeof environmentApiConfigSchema>;

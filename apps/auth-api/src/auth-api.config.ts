import { z } from 'zod';
import {
  databaseConfigSchema,
  encryptionConfigSchema,
  envUrl,
  opsCredentialsConfigSchema,
  redisConfigSchema,
  serviceConfigSchema,
} from '@cxauth/platform';

/** Every variable auth-api reads; validated once at boot (README "Configuration"). */
export const authApiConfigSchema = z.object({
  ...serviceConfigSchema.shape,
  ...databaseConfigSchema.shape,
  ...redisConfigSchema.shape,
  ...opsCredentialsConfigSchema.shape,
  ...encryptionConfigSchema.shape,
  /** The public base URL (`https://gauth.<domain>`): the token issuer and the base of redirects. */
  PUBLIC_BASE_URL: envUrl(/^https?:\/\//, 'an http(s):// URL'),
});

export type AuthApiConfig = z.infer<typeof authApiConfigSchema>;

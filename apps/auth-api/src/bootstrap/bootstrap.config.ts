import { z } from 'zod';
import { encryptionConfigSchema } from '@cxauth/platform';
import { authApiConfigSchema } from '../auth-api.config';

/**
 * What auth-api's migrate entry point reads besides DATABASE_*: the client the Helm chart creates
 * (services.secret.client_id / client_secret) and the keystore whose key becomes the signing key
 * (services.auth.jks). Everything is optional; the pairs are checked together.
 */
export const bootstrapConfigSchema = z
  .object({
    BOOTSTRAP_CLIENT_ID: z
      .string()
      .max(255)
      .regex(/^[A-Za-z0-9._~:@-]+$/, 'may contain letters, digits and . _ ~ : @ - only')
      .optional(),
    /** Plain, or bcrypt-encoded as the Genesys chart takes it. */
    BOOTSTRAP_CLIENT_SECRET: z.string().min(8, 'must be at least 8 characters').max(512).optional(),
    /** Comma-separated; when set, the client also gets the authorization_code grant. */
    BOOTSTRAP_CLIENT_REDIRECT_URIS: z
      .string()
      .transform((value) => value.split(',').map((uri) => uri.trim()))
      .pipe(z.array(z.url()))
      .optional(),
    /** A JKS or PKCS#12 file; its key entry becomes the active JWT signing key. */
    SIGNING_KEYSTORE_FILE: z.string().min(1).optional(),
    SIGNING_KEYSTORE_PASSWORD: z.string().optional(),
    SIGNING_KEY_ALIAS: z.string().min(1).default('gws-auth-key'),
    /** The key entry's own password (JKS); the keystore password when unset. */
    SIGNING_KEY_PASSWORD: z.string().optional(),
    ENCRYPTION_KEY: encryptionConfigSchema.shape.ENCRYPTION_KEY.optional(),
    SIGNING_KEY_RETENTION_SECONDS: authApiConfigSchema.shape.SIGNING_KEY_RETENTION_SECONDS,
  })
  .superRefine((config, context) => {
    const requires = (when: boolean, variable: keyof typeof config, reason: string) => {
      if (when && config[variable] === undefined)
        context.addIssue({ code: 'custom', path: [variable], message: `is required ${reason}` });
    };
    requires(Boolean(config.BOOTSTRAP_CLIENT_ID), 'BOOTSTRAP_CLIENT_SECRET', 'with BOOTSTRAP_CLIENT_ID');
    requires(Boolean(config.SIGNING_KEYSTORE_FILE), 'SIGNING_KEYSTORE_PASSWORD', 'with SIGNING_KEYSTORE_FILE');
    requires(
      Boolean(config.SIGNING_KEYSTORE_FILE),
      'ENCRYPTION_KEY',
      'with SIGNING_KEYSTORE_FILE (the key is stored encrypted)',
    );
  });

export type BootstrapConfig = z.infer<typeof bootstrapConfigSchema>;

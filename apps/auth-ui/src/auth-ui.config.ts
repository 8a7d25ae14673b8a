import { z } from 'zod';
import { envInt, envUrl, serviceConfigSchema } from '@cxauth/platform';

/** Every variable auth-ui reads; validated once at boot (docs/sign-in.md "auth-ui configuration"). */
export const authUiConfigSchema = z
  .object({
    ...serviceConfigSchema.shape,
    /** Version string served at /ui/auth/version.json (the image sets it at build time). */
    APP_VERSION: z.string().min(1).default('0.1.0'),
    /**
     * Where auth-ui reaches auth-api from the server side (in-cluster: `http://<release>-auth-api`), to
     * read a pending sign-in. Defaults to PUBLIC_BASE_URL.
     */
    AUTH_API_URL: envUrl(/^https?:\/\//, 'an http(s):// URL').optional(),
    PUBLIC_BASE_URL: envUrl(/^https?:\/\//, 'an http(s):// URL').optional(),
    /** Timeout of that server-side call (ms). */
    AUTH_API_TIMEOUT_MS: envInt(100, 60_000).default(3_000),
    /** Product name shown on the pages when no contact-center branding is known. */
    UI_PRODUCT_NAME: z.string().trim().min(1).max(80).default('Contact Center'),
  })
  .refine((config) => Boolean(config.AUTH_API_URL ?? config.PUBLIC_BASE_URL), {
    message: 'AUTH_API_URL (or PUBLIC_BASE_URL) is required: auth-ui reads pending sign-ins from auth-api',
    path: ['AUTH_API_URL'],
  });

export type AuthUiConfig = z.infer<typeof authUiConfigSchema>;

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
    /**
     * CORS for auth-ui: where it polls the configured origins (`GET /environment/v3/cors`, with the ops
     * credentials below). Unset: auth-ui answers no cross-origin request (its pages are navigated to).
     */
    ENVIRONMENT_API_URL: envUrl(/^https?:\/\//, 'an http(s):// URL').optional(),
    ADMIN_USERNAME: z.string().min(1).max(255).optional(),
    ADMIN_PASSWORD: z.string().min(1).max(1024).optional(),
    CORS_DEFAULT: z.enum(['allow', 'deny']).default('allow'),
    CORS_REFRESH_INTERVAL_MS: envInt(1_000, 3_600_000).default(30_000),
  })
  .refine((config) => Boolean(config.AUTH_API_URL ?? config.PUBLIC_BASE_URL), {
    message: 'AUTH_API_URL (or PUBLIC_BASE_URL) is required: auth-ui reads pending sign-ins from auth-api',
    path: ['AUTH_API_URL'],
  })
  .refine((config) => !config.ENVIRONMENT_API_URL || Boolean(config.ADMIN_USERNAME && config.ADMIN_PASSWORD), {
    message: 'ADMIN_USERNAME and ADMIN_PASSWORD are required with ENVIRONMENT_API_URL (to read the CORS origins)',
    path: ['ADMIN_PASSWORD'],
  });

export type AuthUiConfig = z.infer<typeof authUiConfigSchema>;

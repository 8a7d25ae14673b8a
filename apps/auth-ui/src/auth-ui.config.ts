import { z } from 'zod';
import { serviceConfigSchema } from '@cxauth/platform';

/** Every variable auth-ui reads; validated once at boot (README "Configuration"). */
export const authUiConfigSchema = z.object({
  ...serviceConfigSchema.shape,
  /** Version string served at /ui/auth/version.json (the image sets it at build time). */
  APP_VERSION: z.string().min(1).default('0.1.0'),
});

export type AuthUiConfig = z.infer<typeof authUiConfigSchema>;

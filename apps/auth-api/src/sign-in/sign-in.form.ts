import { z } from 'zod';

const field = (max: number) => z.string().max(max).optional();

/**
 * The sign-in form (application/x-www-form-urlencoded). Browsers may add fields (a submit button's
 * name), so unknown fields are ignored here, but every known one is bounded.
 */
export const signInFormSchema = z.object({
  username: field(512),
  password: field(1024),
  tenant: field(255),
  request: field(64),
  csrf: field(128),
  saml: field(8),
});

export type SignInForm = z.infer<typeof signInFormSchema>;

export const changePasswordFormSchema = z.object({
  username: field(512),
  tenant: field(255),
  oldPassword: field(1024),
  newPassword: field(1024),
  confirmPassword: field(1024),
  request: field(64),
  csrf: field(128),
});

export type ChangePasswordForm = z.infer<typeof changePasswordFormSchema>;

/** GET /auth/v3/sign-in: starts a sign-in that is not part of an authorization. */
export const startSignInQuerySchema = z.object({
  next: z.enum(['sign-in', 'change-password', 'signed-in']).optional(),
  locale: z
    .string()
    .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?$/)
    .optional(),
  hideTenant: z.enum(['true', 'false']).optional(),
});

/** POST /auth/v3/auth-scheme (`ApiRequestOfAuthSchemeLookupData`). */
export const authSchemeRequestSchema = z.strictObject({
  data: z.strictObject({
    userName: z.string().min(1).max(512),
    tenant: z.string().max(255).optional(),
  }),
  operationId: z.string().max(256).optional(),
});

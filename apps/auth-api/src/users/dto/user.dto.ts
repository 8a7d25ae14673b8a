import { z } from 'zod';
import { envelopeRequest } from '@cxauth/platform';

/** No `\` (the tenant separator), no control characters, no surrounding whitespace. */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const USERNAME = /^(?!\s)[^\\\u0000-\u001f\u007f]+(?<!\s)$/;
const AUTHORITY = /^[A-Za-z][A-Za-z0-9_.:-]*$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const contactCenterIdSchema = z.string().regex(GUID, 'must be a UUID');

const fields = {
  username: z
    .string()
    .min(1)
    .max(255)
    .regex(USERNAME, 'must not contain "\\" or control characters, nor start or end with whitespace'),
  /** Length and content rules are the password policy (checked after parsing, with the user name). */
  password: z.string().min(1).max(1024),
  email: z.email().max(320).nullable(),
  firstName: z.string().trim().min(1).max(255).nullable(),
  lastName: z.string().trim().min(1).max(255).nullable(),
  authorities: z
    .array(z.string().min(1).max(100).regex(AUTHORITY, 'must be a letter followed by letters, digits or _ . : -'))
    .max(50),
  properties: z
    .record(z.string().min(1).max(100), z.string().max(4096))
    .refine((value) => Object.keys(value).length <= 50, 'at most 50 properties'),
  enabled: z.boolean(),
};

export const createUserSchema = envelopeRequest(
  z.strictObject({
    contactCenterId: contactCenterIdSchema,
    username: fields.username,
    password: fields.password,
    email: fields.email.optional(),
    firstName: fields.firstName.optional(),
    lastName: fields.lastName.optional(),
    authorities: fields.authorities.default([]),
    properties: fields.properties.default({}),
    enabled: fields.enabled.default(true),
  }),
);

/** PUT is a partial update: only the fields sent change; `contactCenterId` cannot change. */
export const updateUserSchema = envelopeRequest(
  z.strictObject({
    username: fields.username.optional(),
    password: fields.password.optional(),
    email: fields.email.optional(),
    firstName: fields.firstName.optional(),
    lastName: fields.lastName.optional(),
    authorities: fields.authorities.optional(),
    properties: fields.properties.optional(),
    enabled: fields.enabled.optional(),
  }),
);

export const listUsersQuerySchema = z.strictObject({
  contactCenterId: contactCenterIdSchema.optional(),
  username: z.string().min(1).max(255).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** `POST /auth/v3/change-password` (reference §1.2). */
export const changePasswordSchema = envelopeRequest(
  z.strictObject({
    oldPassword: z.string().min(1).max(1024),
    newPassword: z.string().min(1).max(1024),
    userName: z.string().min(1).max(512).optional(),
  }),
);

export type CreateUserRequest = z.infer<typeof createUserSchema>['data'];
export type UpdateUserRequest = z.infer<typeof updateUserSchema>['data'];
export type ListUsersQuery = z.infer<typeof listUsersQuerySchema>;
export type ChangePasswordRequest = z.infer<typeof changePasswordSchema>['data'];

/** A local user as the ops API shows it; never a password or its hash. Times are epoch milliseconds. */
export interface LocalUserView {
  id: string;
  contactCenterId: string;
  username: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  authorities: string[];
  properties: Record<string, string>;
  enabled: boolean;
  /** `sso`: created just in time by single sign-on (its authorities, names and e-mail follow the IdP); absent otherwise. */
  provisionedBy?: 'sso';
  createdAt: number;
  updatedAt: number;
  passwordChangedAt: number;
}

import { z } from 'zod';
import { CONTACT_CENTER_AUTH_VALUES } from '@cxauth/persistence';
import { envelopeRequest, jsonBoolean } from '@cxauth/platform';
import { locationSchema, uuidSchema } from '../../common/schemas';
import { contactCenterDirectorySchema } from './contact-center-directory.dto';

/** The `tenant` of `tenant\user`: letters, digits, `.`, `_`, `-`; stored lowercased. */
const domainSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, ".", "_" or "-" (no spaces or backslashes)');

/** A list, or (as some scripts send it) one string, possibly comma-separated. */
const domainsSchema = z
  .union([z.array(domainSchema).min(1, 'must list at least one domain').max(100), z.string()])
  .transform((value, context) => {
    const list = Array.isArray(value)
      ? value
      : value
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean);
    const lowered = [...new Set(list.map((domain) => domain.toLowerCase()))];
    if (lowered.length === 0) context.addIssue({ code: 'custom', message: 'must list at least one domain' });
    for (const domain of lowered) {
      if (!domainSchema.safeParse(domain).success)
        context.addIssue({ code: 'custom', message: `"${domain}" is not a valid domain` });
    }
    return lowered;
  });

const authSchema = z.enum(CONTACT_CENTER_AUTH_VALUES, {
  message: `must be one of ${CONTACT_CENTER_AUTH_VALUES.join(', ')}`,
});

export const createContactCenterSchema = envelopeRequest(
  z.strictObject({
    id: uuidSchema.optional(),
    environmentId: uuidSchema,
    domains: domainsSchema,
    auth: authSchema.default('configServer'),
    directory: contactCenterDirectorySchema.optional(),
  }),
);

export const updateContactCenterSchema = envelopeRequest(
  z.strictObject({
    id: uuidSchema.optional(),
    environmentId: uuidSchema.optional(),
    domains: domainsSchema.optional(),
    auth: authSchema.optional(),
    /** Replaces the stored settings (`null` clears them); an omitted LDAP `bindPassword` keeps the stored one. */
    directory: contactCenterDirectorySchema.nullable().optional(),
  }),
);

export const SETTING_VALUE_MAX = 64 * 1024;

export const upsertSettingSchema = envelopeRequest(
  z.strictObject({
    name: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[A-Za-z0-9._-]+$/, 'must be letters, digits, ".", "_" or "-"'),
    location: locationSchema.default('/'),
    shared: jsonBoolean.default(false),
    value: z.string().max(SETTING_VALUE_MAX),
  }),
);

export type CreateContactCenterRequest = z.infer<typeof createContactCenterSchema>;
export type UpdateContactCenterRequest = z.infer<typeof updateContactCenterSchema>;
export type UpsertSettingRequest = z.infer<typeof upsertSettingSchema>;

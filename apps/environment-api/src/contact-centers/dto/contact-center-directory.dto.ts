import { X509Certificate } from 'node:crypto';
import { FilterParser } from 'ldapts';
import { z } from 'zod';
import { jsonBoolean } from '@cxauth/platform';

const ldapUrlSchema = z
  .string()
  .max(2048)
  .regex(/^ldaps?:\/\/[^/\s?#]+\/?$/i, 'must be ldap://host[:port] or ldaps://host[:port]')
  .refine((value) => URL.canParse(value), 'is not a valid URL');

const dnSchema = z.string().min(1).max(1024);
const attributeSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'must be an LDAP attribute name');
export const authoritySchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/, 'must be a letter then letters, digits, _ . : - (at most 100)');

function isPemCertificate(value: string): boolean {
  if (!value.includes('-----BEGIN CERTIFICATE-----')) return false;
  try {
    new X509Certificate(value);
    return true;
  } catch {
    return false;
  }
}

/** An RFC 4515 filter that must use `placeholder`; checked by parsing it as the LDAP client will. */
const filterSchema = (placeholder: string) =>
  z
    .string()
    .min(3)
    .max(4096)
    .refine((value) => value.includes(placeholder), `must contain ${placeholder}`)
    .refine((value) => {
      try {
        FilterParser.parseString(value.replace(/\{username\}|\{dn\}/g, 'x'));
        return true;
      } catch {
        return false;
      }
    }, 'is not a valid LDAP filter');

const ldapDirectorySchema = z
  .strictObject({
    /** One URL or a list tried in order. */
    urls: z.union([ldapUrlSchema.transform((url) => [url]), z.array(ldapUrlSchema).min(1).max(8)]),
    startTls: jsonBoolean.default(false),
    caCertificate: z
      .string()
      .max(64 * 1024)
      .refine(isPemCertificate, 'must be a PEM certificate')
      .optional(),
    bindMode: z.enum(['search', 'direct']).default('search'),
    bindDn: dnSchema.optional(),
    /** Write-only: stored encrypted, never returned. Omitted on update = keep the stored one. */
    bindPassword: z.string().min(1).max(1024).optional(),
    userBaseDn: dnSchema,
    userFilter: filterSchema('{username}').optional(),
    userDnTemplate: z
      .string()
      .min(1)
      .max(1024)
      .refine((value) => value.includes('{username}'), 'must contain {username}')
      .optional(),
    attributes: z
      .strictObject({
        username: attributeSchema.optional(),
        firstName: attributeSchema.optional(),
        lastName: attributeSchema.optional(),
        email: attributeSchema.optional(),
        employeeId: attributeSchema.optional(),
      })
      .optional(),
    groupBaseDn: dnSchema.optional(),
    groupFilter: filterSchema('{').optional(),
    groupNameAttribute: attributeSchema.optional(),
    groupAuthorities: z
      .record(z.string().min(1).max(255), z.array(authoritySchema).max(50))
      .refine((value) => Object.keys(value).length <= 200, 'at most 200 groups')
      .default({}),
    defaultAuthorities: z.array(authoritySchema).max(50).default([]),
    activeDirectory: jsonBoolean.default(false),
    allowPasswordChange: jsonBoolean.default(false),
    timeoutMs: z.number().int().min(100).max(60_000).optional(),
    connectTimeoutMs: z.number().int().min(100).max(60_000).optional(),
    poolSize: z.number().int().min(1).max(50).optional(),
    pageSize: z.number().int().min(1).max(5_000).optional(),
  })
  .superRefine((ldap, context) => {
    if (ldap.bindMode === 'direct' && !ldap.userDnTemplate) {
      context.addIssue({ code: 'custom', path: ['userDnTemplate'], message: 'is required with bindMode direct' });
    }
    if (ldap.bindMode === 'search' && !ldap.bindDn) {
      context.addIssue({ code: 'custom', path: ['bindDn'], message: 'is required with bindMode search' });
    }
    if (ldap.startTls && ldap.urls.some((url) => url.toLowerCase().startsWith('ldaps://'))) {
      context.addIssue({ code: 'custom', path: ['startTls'], message: 'applies to ldap:// URLs only' });
    }
  });

const configServerDirectorySchema = z.strictObject({
  /** Only persons of this Configuration Server tenant (DBID) belong to the contact center. */
  tenantDbid: z.number().int().positive().optional(),
  allowPasswordChange: jsonBoolean.default(false),
});

/** `directory` of a contact center: settings for the directory its `auth` names. */
export const contactCenterDirectorySchema = z.strictObject({
  configServer: configServerDirectorySchema.optional(),
  ldap: ldapDirectorySchema.optional(),
});

export type ContactCenterDirectoryInput = z.infer<typeof contactCenterDirectorySchema>;

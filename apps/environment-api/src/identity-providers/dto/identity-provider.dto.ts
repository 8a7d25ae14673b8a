import { z } from 'zod';
import { envelopeRequest, jsonBoolean } from '@cxauth/platform';
import { authoritySchema } from '../../contact-centers/dto/contact-center-directory.dto';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https, or http on a loopback host only (a local IdP in development): tokens never cross a network in clear. */
const issuerSchema = z
  .string()
  .max(2048)
  .refine((value) => URL.canParse(value), 'is not a valid URL')
  .refine((value) => {
    if (!URL.canParse(value)) return true;
    const url = new URL(value);
    if (url.search || url.hash || url.username || url.password) return false;
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  }, 'must be an https:// URL without query, fragment or credentials (http:// only on a loopback host)');

const claimSchema = z
  .string()
  .regex(/^[A-Za-z0-9_:.\-/]{1,128}$/, 'must be a claim name (letters, digits, _ : . - /; at most 128)');

const oidcSchema = z.strictObject({
  /** The IdP's issuer; its discovery document is `<issuer>/.well-known/openid-configuration`. */
  issuer: issuerSchema,
  clientId: z.string().min(1).max(255),
  /** Write-only: stored sealed, never returned. Omitted on replace = keep the stored one. */
  clientSecret: z.string().min(1).max(1024).optional(),
  scopes: z
    .array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/, 'must be an OAuth scope token'))
    .min(1)
    .max(20)
    .refine((scopes) => scopes.includes('openid'), 'must include openid')
    .default(['openid', 'profile', 'email']),
  claims: z
    .strictObject({
      username: claimSchema.default('preferred_username'),
      firstName: claimSchema.default('given_name'),
      lastName: claimSchema.default('family_name'),
      email: claimSchema.default('email'),
    })
    .prefault({}),
});

/** PUT /contact-centers/{id}/identity-provider: the contact center's SSO identity provider (replaces it). */
export const putIdentityProviderSchema = envelopeRequest(
  z.strictObject({
    type: z.enum(['oidc'], { message: 'must be oidc' }),
    enabled: jsonBoolean.default(true),
    oidc: oidcSchema,
    /** Create a local user at the first SSO sign-in of an identity the directory does not know. */
    jitProvisioning: jsonBoolean.default(false),
    defaultAuthorities: z.array(authoritySchema).max(50).default([]),
  }),
);

export type PutIdentityProviderRequest = z.infer<typeof putIdentityProviderSchema>;

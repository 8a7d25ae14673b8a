import { createPrivateKey, X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { envelopeRequest, jsonBoolean, parseSamlIdpMetadata, samlMetadataFields } from '@cxauth/platform';
import { authoritySchema } from '../../contact-centers/dto/contact-center-directory.dto';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https, or http on a loopback host only (a local IdP in development): tokens never cross a network in clear. */
const idpUrl = ({ query }: { query: boolean }) =>
  z
    .string()
    .max(2048)
    .refine((value) => URL.canParse(value), 'is not a valid URL')
    .refine(
      (value) => {
        if (!URL.canParse(value)) return true;
        const url = new URL(value);
        if ((url.search && !query) || url.hash || url.username || url.password) return false;
        return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
      },
      `must be an https:// URL without ${query ? '' : 'query, '}fragment or credentials (http:// only on a loopback host)`,
    );

/** An IdP endpoint or issuer: no query (an OIDC issuer has none; SAML bindings append their own). */
export const idpUrlSchema = idpUrl({ query: false });

/** Where an IdP publishes its SAML metadata: a query is allowed (Entra ID's `…/federationmetadata.xml?appid=…`). */
export const metadataUrlSchema = idpUrl({ query: true });

const claimSchema = z
  .string()
  .regex(/^[A-Za-z0-9_:.\-/]{1,128}$/, 'must be a claim name (letters, digits, _ : . - /; at most 128)');

const oidcSchema = z.strictObject({
  /** The IdP's issuer; its discovery document is `<issuer>/.well-known/openid-configuration`. */
  issuer: idpUrlSchema,
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
      groups: claimSchema.default('groups'),
    })
    .prefault({}),
});

function isCertificate(value: string): boolean {
  try {
    return value.includes('-----BEGIN CERTIFICATE-----') && Boolean(new X509Certificate(value));
  } catch {
    return false;
  }
}

const certificateSchema = z
  .string()
  .max(16 * 1024)
  .refine(isCertificate, 'must be a PEM certificate');

const attributeNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_:.\-/#]{1,256}$/, 'must be an attribute name, or NameID (letters, digits, _ : . - / #)');

const URN = /^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:[\x21-\x7E]{1,480}$/;

/**
 * `metadataXml` (the IdP's metadata document) fills `idpEntityId`, `ssoUrl`, `authnRequestBinding`, `sloUrl`,
 * `logoutRequestBinding` and `signingCertificates` where they are not given; the fields then go through the same checks as typed
 * ones. `ssoUrl` is the SingleSignOnService of `authnRequestBinding`; without that, of HTTP-Redirect where
 * the IdP offers it, else of HTTP-POST (and the binding becomes `post`).
 */
function withMetadata(value: unknown, context: z.RefinementCtx): unknown {
  if (typeof value !== 'object' || value === null || !('metadataXml' in value)) return value;
  const { metadataXml, ...rest } = value as Record<string, unknown>;
  if (typeof metadataXml !== 'string' || metadataXml.length > 256 * 1024) {
    context.addIssue({ code: 'custom', path: ['metadataXml'], message: 'must be an XML document (at most 256 KiB)' });
    return rest;
  }
  const bindingOf = (value: unknown) => (value === 'redirect' || value === 'post' ? value : undefined);
  const binding = bindingOf(rest.authnRequestBinding);
  const logoutBinding = bindingOf(rest.logoutRequestBinding);
  try {
    const fields = samlMetadataFields(parseSamlIdpMetadata(metadataXml), binding, logoutBinding);
    if (!fields.ssoUrl && rest.ssoUrl === undefined)
      context.addIssue({
        code: 'custom',
        path: ['metadataXml'],
        message: `has no SingleSignOnService for the ${binding === 'post' ? 'HTTP-POST' : 'HTTP-Redirect'} binding (authnRequestBinding)`,
      });
    return { ...fields, ...rest };
  } catch (error) {
    context.addIssue({ code: 'custom', path: ['metadataXml'], message: (error as Error).message.slice(0, 200) });
    return rest;
  }
}

const samlFieldsSchema = z
  .strictObject({
    /**
     * Where the IdP publishes its metadata: read on write (SamlMetadataUrlPipe, as `metadataXml`), then
     * re-read by auth-api periodically and when a response is signed with a key it does not know.
     */
    metadataUrl: metadataUrlSchema.optional(),
    /** The IdP's entity ID (the Issuer of its responses). */
    idpEntityId: z.string().min(1).max(1024),
    /** The IdP's single sign-on URL for `authnRequestBinding`. */
    ssoUrl: idpUrlSchema,
    /**
     * How AuthnRequests reach the IdP: `redirect` (HTTP-Redirect: the signed request in the URL) or `post`
     * (HTTP-POST: the browser posts an XML-signed request through an auto-submitting form).
     */
    authnRequestBinding: z.enum(['redirect', 'post'], { error: 'must be redirect or post' }).default('redirect'),
    /** The IdP's single logout URL (of `logoutRequestBinding`), from `SingleLogoutService` in its metadata; optional. */
    sloUrl: idpUrlSchema.optional(),
    /** How SP-initiated LogoutRequests reach `sloUrl`: `redirect` (HTTP-Redirect) or `post` (HTTP-POST form). */
    logoutRequestBinding: z.enum(['redirect', 'post'], { error: 'must be redirect or post' }).default('redirect'),
    /** The IdP's signing certificates (PEM); several during a rollover. */
    signingCertificates: z.array(certificateSchema).min(1).max(4),
    nameIdFormat: z
      .string()
      .regex(URN, 'must be a URN')
      .default('urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified'),
    attributes: z
      .strictObject({
        username: attributeNameSchema.default('NameID'),
        firstName: attributeNameSchema.default('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname'),
        lastName: attributeNameSchema.default('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname'),
        email: attributeNameSchema.default('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress'),
        groups: attributeNameSchema.default('http://schemas.microsoft.com/ws/2008/06/identity/claims/groups'),
      })
      .prefault({}),
    /** IdP-initiated SSO (a response without our AuthnRequest): off unless enabled. */
    allowIdpInitiated: jsonBoolean.default(false),
    /** Refuse assertions the IdP does not encrypt to the SP's certificate (then also its encryption certificate). */
    wantAssertionsEncrypted: jsonBoolean.default(false),
    /** The SP's certificate (PEM), published in the SP metadata for signing (and encryption when required). */
    spCertificate: certificateSchema,
    /** Write-only: the SP's private key (PEM) for signing AuthnRequests and decrypting assertions; stored sealed. Omitted on replace = keep. */
    spPrivateKey: z
      .string()
      .max(16 * 1024)
      .optional(),
  })
  .superRefine((saml, context) => {
    if (saml.spPrivateKey === undefined) return;
    try {
      const key = createPrivateKey(saml.spPrivateKey);
      if (!new X509Certificate(saml.spCertificate).checkPrivateKey(key))
        context.addIssue({ code: 'custom', path: ['spPrivateKey'], message: 'does not belong to spCertificate' });
    } catch {
      context.addIssue({ code: 'custom', path: ['spPrivateKey'], message: 'must be a PEM private key' });
    }
  });

const samlSchema = z.preprocess(withMetadata, samlFieldsSchema);

const common = {
  enabled: jsonBoolean.default(true),
  /** Create a local user at the first SSO sign-in of an identity the directory does not know. */
  jitProvisioning: jsonBoolean.default(false),
  defaultAuthorities: z.array(authoritySchema).max(50).default([]),
  /** IdP group (name or id, as the IdP sends it) → authorities of a user created just in time. */
  groupAuthorities: z
    .record(z.string().min(1).max(255), z.array(authoritySchema).max(50))
    .refine((value) => Object.keys(value).length <= 200, 'at most 200 groups')
    .default({}),
};

/** PUT /contact-centers/{id}/identity-provider: the contact center's SSO identity provider (replaces it). */
export const putIdentityProviderSchema = envelopeRequest(
  z.discriminatedUnion(
    'type',
    [
      z.strictObject({ type: z.literal('oidc'), oidc: oidcSchema, ...common }),
      z.strictObject({ type: z.literal('saml'), saml: samlSchema, ...common }),
    ],
    { error: 'type: must be oidc or saml' },
  ),
);

export type PutIdentityProviderRequest = z.infer<typeof putIdentityProviderSchema>;

import { z } from 'zod';
import { envelopeRequest, jsonBoolean, jsonInteger } from '@cxauth/platform';
import { EXCHANGEABLE_TOKEN_TYPES, GRANT_TYPE_ORDER, isRegistrableRedirectUri } from '@cxauth/domain';

const CLIENT_ID = /^[A-Za-z0-9._~:@-]+$/;
const MAX_LIFETIME_SECONDS = 365 * 24 * 3600;

const redirectUri = z
  .string()
  .max(2048)
  .refine(
    isRegistrableRedirectUri,
    'must be an absolute URI without a fragment: https (http only on a loopback host) or an app scheme, never a script, data or file URI',
  );

/** A public JWK (no private members) that may sign jwt-bearer assertions. */
const publicJwk = z
  .looseObject({ kty: z.enum(['EC', 'RSA', 'OKP']), kid: z.string().max(255).optional() })
  .refine((jwk) => !('d' in jwk) && !('p' in jwk) && !('k' in jwk), 'must be a public key (no private members)');

const fields = {
  name: z.string().trim().min(1).max(255),
  description: z.string().max(2000).nullable(),
  clientType: z.enum(['CONFIDENTIAL', 'PUBLIC']),
  internalClient: jsonBoolean,
  client_secret: z.string().max(512),
  authorities: z.array(z.string().min(1).max(255)).max(100),
  scope: z.array(z.string().min(1).max(255)).max(100),
  authorizedGrantTypes: z
    .array(z.enum(GRANT_TYPE_ORDER as unknown as [string, ...string[]]))
    .min(1)
    .max(10),
  redirectURIs: z.array(redirectUri).max(100),
  accessTokenExpirationTimeout: jsonInteger(1, MAX_LIFETIME_SECONDS),
  refreshTokenExpirationTimeout: jsonInteger(1, MAX_LIFETIME_SECONDS),
  contactCenterIds: z.array(z.string().min(1).max(255)).max(1000),
  tokenFormat: z.enum(['opaque', 'jwt']),
  jwks: z.strictObject({ keys: z.array(publicJwk).min(1).max(20) }).nullable(),
  jwksUri: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .nullable(),
  tokenExchange: z
    .strictObject({
      subjectTokenTypes: z
        .array(z.enum(EXCHANGEABLE_TOKEN_TYPES as [string, ...string[]]))
        .max(4)
        .default([...EXCHANGEABLE_TOKEN_TYPES]),
      subjectClients: z.array(z.string().min(1).max(255)).max(100).default([]),
      audiences: z.array(z.string().min(1).max(2048)).max(100).nullable().default(null),
    })
    .nullable(),
  requirePkce: jsonBoolean,
};

export const createClientSchema = envelopeRequest(
  z.strictObject({
    client_id: z.string().min(1).max(255).regex(CLIENT_ID, 'may contain letters, digits and . _ ~ : @ - only'),
    name: fields.name.optional(),
    description: fields.description.optional(),
    clientType: fields.clientType.default('CONFIDENTIAL'),
    internalClient: fields.internalClient.default(false),
    client_secret: fields.client_secret.optional(),
    authorities: fields.authorities.default([]),
    scope: fields.scope.default(['*']),
    authorizedGrantTypes: fields.authorizedGrantTypes,
    redirectURIs: fields.redirectURIs.default([]),
    accessTokenExpirationTimeout: fields.accessTokenExpirationTimeout.default(43200),
    refreshTokenExpirationTimeout: fields.refreshTokenExpirationTimeout.default(43200),
    contactCenterIds: fields.contactCenterIds.default([]),
    tokenFormat: fields.tokenFormat.default('opaque'),
    jwks: fields.jwks.optional(),
    jwksUri: fields.jwksUri.optional(),
    tokenExchange: fields.tokenExchange.optional(),
    /** Absent: PKCE_REQUIRED_FOR_NEW_CLIENTS. */
    requirePkce: fields.requirePkce.optional(),
  }),
);

export const updateClientSchema = envelopeRequest(
  z.strictObject({
    /** Accepted when it repeats the path's id (scripts resend whole objects); anything else is refused. */
    client_id: z.string().optional(),
    name: fields.name.optional(),
    description: fields.description.optional(),
    clientType: fields.clientType.optional(),
    internalClient: fields.internalClient.optional(),
    client_secret: fields.client_secret.optional(),
    authorities: fields.authorities.optional(),
    scope: fields.scope.optional(),
    authorizedGrantTypes: fields.authorizedGrantTypes.optional(),
    redirectURIs: fields.redirectURIs.optional(),
    accessTokenExpirationTimeout: fields.accessTokenExpirationTimeout.optional(),
    refreshTokenExpirationTimeout: fields.refreshTokenExpirationTimeout.optional(),
    contactCenterIds: fields.contactCenterIds.optional(),
    tokenFormat: fields.tokenFormat.optional(),
    jwks: fields.jwks.optional(),
    jwksUri: fields.jwksUri.optional(),
    tokenExchange: fields.tokenExchange.optional(),
    requirePkce: fields.requirePkce.optional(),
    /** Read-only fields a GET returns; tolerated (and ignored) so a GET → edit → PUT round trip works. */
    createdAt: z.number().optional(),
    updatedAt: z.number().optional(),
    encrypted_client_secret: z.string().optional(),
  }),
);

export type CreateClientRequest = z.infer<typeof createClientSchema>['data'];
export type UpdateClientRequest = z.infer<typeof updateClientSchema>['data'];

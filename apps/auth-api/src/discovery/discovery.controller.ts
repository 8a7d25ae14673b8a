import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { KeyRing } from '../signing-keys/key-ring.service';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { GRANT_TYPE_ORDER } from '@cxauth/domain';

/** OpenID Connect discovery (`/auth/v3/.well-known/openid-configuration`) and the JWK Set (`/auth/v3/jwks`). */
@ApiTags('OpenID Connect')
@Controller()
export class DiscoveryController {
  constructor(private readonly keys: KeyRing) {}

  @Get('.well-known/openid-configuration')
  @ApiOperation({ summary: 'OpenID Connect discovery document' })
  configuration(@Res({ passthrough: true }) reply: FastifyReply): Record<string, unknown> {
    void reply.header('cache-control', 'public, max-age=300');
    const issuer = this.keys.issuer;
    const algorithms = [
      ...new Set(
        this.keys
          .publicJwks()
          .keys.map((key) => key.alg)
          .filter(Boolean),
      ),
    ];
    return {
      issuer,
      authorization_endpoint: `${issuer}/oauth/authorize`,
      token_endpoint: `${issuer}/oauth/token`,
      userinfo_endpoint: `${issuer}/openid/userinfo`,
      jwks_uri: `${issuer}/jwks`,
      introspection_endpoint: `${issuer}/oauth/introspect`,
      revocation_endpoint: `${issuer}/oauth/revoke`,
      end_session_endpoint: `${issuer}/sign-out`,
      scopes_supported: ['openid', '*'],
      // What the authorize endpoint accepts; `token` (implicit) only for clients that enable it.
      response_types_supported: ['code', 'token'],
      response_modes_supported: ['query', 'fragment'],
      grant_types_supported: GRANT_TYPE_ORDER,
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: algorithms,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      code_challenge_methods_supported: ['S256'],
      // RFC 9207: every authorization response carries `iss`.
      authorization_response_iss_parameter_supported: true,
      claims_supported: [
        'sub',
        'aud',
        'iss',
        'exp',
        'iat',
        'auth_time',
        'nonce',
        'email',
        'given_name',
        'family_name',
        'user_name',
        'contact_center_id',
        'environment_id',
      ],
    };
  }

  @Get('jwks')
  @ApiOperation({ summary: 'Public JWK Set (active and still-verifying signing keys)' })
  jwks(@Res({ passthrough: true }) reply: FastifyReply): Record<string, unknown> {
    void reply.header('cache-control', 'public, max-age=300').type('application/jwk-set+json');
    return this.keys.publicJwks();
  }
}

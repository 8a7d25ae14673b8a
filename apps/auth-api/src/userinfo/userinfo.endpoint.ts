import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  Envelope,
  InvalidBearerToken,
  ok,
  TokenPrincipal,
  CloudUserDetails,
  OpenIdUserInfo,
  toCloudUserDetails,
  toOpenIdUserInfo,
} from '@cxauth/domain';
import type { DirectController } from '@cxauth/platform';
import { bearerOperation } from '../oauth/openapi';
import { AuthMetrics } from '../metrics/auth-metrics';
import { KeyRing } from '../signing-keys/key-ring.service';
import { noStore } from '../token/token.endpoint';
import { BearerAuthentication } from '../tokens/bearer-token.guard';

/** How long the X-GWS-User JWT is valid at most (never longer than the access token). */
const GWS_USER_JWT_MAX_SECONDS = 3600;

/** CloudUserDetails of a token: its user, or the client itself for client_credentials tokens. */
export function cloudUserDetails(principal: TokenPrincipal): CloudUserDetails {
  if (principal.user) return toCloudUserDetails(principal.user);
  return { username: principal.subject, authorities: [...principal.authorities], properties: {} };
}

export function openIdUserInfo(principal: TokenPrincipal): OpenIdUserInfo {
  if (principal.user) return toOpenIdUserInfo(principal.user, principal.clientId);
  return {
    sub: principal.subject,
    aud: principal.clientId,
    user_name: principal.subject,
    authorities: [...principal.authorities],
    properties: {},
  };
}

/**
 * Token validation endpoints that other services call on every request: one Redis read, no database.
 * An unknown or expired token answers 401 with `WWW-Authenticate: Bearer error="invalid_token"`.
 * Direct routes (USER_INFO_ROUTES).
 */
@Injectable()
export class UserInfoEndpoint {
  constructor(
    private readonly bearer: BearerAuthentication,
    private readonly keys: KeyRing,
    private readonly metrics: AuthMetrics,
  ) {}

  /** The token's principal, counted by outcome: valid, invalid (401) or error (auth_token_validations_total). */
  private async principal(request: FastifyRequest): Promise<TokenPrincipal> {
    try {
      const principal = await this.bearer.authenticate(request);
      this.metrics.validation('userinfo', 'valid');
      return principal;
    } catch (error) {
      this.metrics.validation('userinfo', error instanceof InvalidBearerToken ? 'invalid' : 'error');
      throw error;
    }
  }

  async userinfo(request: FastifyRequest, reply: FastifyReply): Promise<CloudUserDetails> {
    const principal = await this.principal(request);
    noStore(reply);
    return cloudUserDetails(principal);
  }

  async openIdUserinfo(request: FastifyRequest, reply: FastifyReply): Promise<OpenIdUserInfo> {
    const principal = await this.principal(request);
    noStore(reply);
    return openIdUserInfo(principal);
  }

  /** The user details as a JWT signed with our keys (verify with /auth/v3/jwks), in `X-GWS-User`. */
  async jwtUserinfo(request: FastifyRequest, reply: FastifyReply): Promise<Envelope> {
    const principal = await this.principal(request);
    noStore(reply);
    const remaining = principal.expiresAt - Math.floor(Date.now() / 1000);
    const jwt = await this.keys.sign(
      { ...cloudUserDetails(principal), sub: principal.subject, client_id: principal.clientId },
      { expiresInSeconds: Math.max(1, Math.min(GWS_USER_JWT_MAX_SECONDS, remaining)) },
    );
    void reply.header('x-gws-user', jwt);
    return ok();
  }
}

export const USER_INFO_ROUTES: DirectController<UserInfoEndpoint> = {
  controller: UserInfoEndpoint,
  tag: 'User info',
  routes: [
    {
      method: 'GET',
      path: 'userinfo',
      handler: 'userinfo',
      operation: bearerOperation('CloudUserDetails of the token'),
    },
    {
      method: 'GET',
      path: 'openid/userinfo',
      handler: 'openIdUserinfo',
      operation: bearerOperation('OpenIdUserInfo of the token'),
    },
    {
      method: 'GET',
      path: 'jwt-userinfo',
      handler: 'jwtUserinfo',
      operation: bearerOperation('User details as a signed JWT in the X-GWS-User header'),
    },
  ],
};

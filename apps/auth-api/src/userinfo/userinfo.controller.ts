import { Controller, Get, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Envelope, ok, TokenPrincipal } from '@cxauth/domain';
import { KeyRing } from '../signing-keys/key-ring.service';
import { BearerRequest, BearerTokenGuard } from '../tokens/bearer-token.guard';
import { CloudUserDetails, OpenIdUserInfo, toCloudUserDetails, toOpenIdUserInfo } from '../users/user-details.mapper';
import { noStore } from '../token/token.controller';
import { ApiTags } from '@nestjs/swagger';
import { ApiBearerOperation } from '../oauth/openapi';

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
 */
@ApiTags('User info')
@Controller()
@UseGuards(BearerTokenGuard)
export class UserInfoController {
  constructor(private readonly keys: KeyRing) {}

  @Get('userinfo')
  @ApiBearerOperation('CloudUserDetails of the token')
  userinfo(@Req() request: BearerRequest, @Res({ passthrough: true }) reply: FastifyReply): CloudUserDetails {
    noStore(reply);
    return cloudUserDetails(request.principal);
  }

  @Get('openid/userinfo')
  @ApiBearerOperation('OpenIdUserInfo of the token')
  openIdUserinfo(@Req() request: BearerRequest, @Res({ passthrough: true }) reply: FastifyReply): OpenIdUserInfo {
    noStore(reply);
    return openIdUserInfo(request.principal);
  }

  /** The user details as a JWT signed with our keys (verify with /auth/v3/jwks), in `X-GWS-User`. */
  @Get('jwt-userinfo')
  @ApiBearerOperation('User details as a signed JWT in the X-GWS-User header')
  async jwtUserinfo(@Req() request: BearerRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<Envelope> {
    noStore(reply);
    const { principal } = request;
    const remaining = principal.expiresAt - Math.floor(Date.now() / 1000);
    const jwt = await this.keys.sign(
      { ...cloudUserDetails(principal), sub: principal.subject, client_id: principal.clientId },
      { expiresInSeconds: Math.max(1, Math.min(GWS_USER_JWT_MAX_SECONDS, remaining)) },
    );
    void reply.header('x-gws-user', jwt);
    return ok();
  }
}

import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { type TokenPrincipal, InvalidBearerToken } from '@cxauth/domain';
import { TokenService } from './token.service';
import { parseBearerAuthorization } from '@cxauth/platform';

/** Where BearerTokenGuard puts the principal (also `request.principal`). */
export type BearerRequest = FastifyRequest & { principal: TokenPrincipal; accessToken: string };

/**
 * Requires a live access token (opaque or JWT) and puts its TokenPrincipal on `request.principal`.
 * Failure: 401 with `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750). One Redis read, no
 * database.
 */
@Injectable()
export class BearerAuthentication {
  constructor(private readonly tokens: TokenService) {}

  async authenticate(request: FastifyRequest): Promise<TokenPrincipal> {
    const token = parseBearerAuthorization(request.headers.authorization);
    if (!token) {
      throw new InvalidBearerToken('An access token is required', 'Bearer realm="cxauth"');
    }
    const principal = await this.tokens.principal(token);
    if (!principal) throw new InvalidBearerToken();
    const bearerRequest = request as BearerRequest;
    bearerRequest.principal = principal;
    bearerRequest.accessToken = token;
    return principal;
  }
}

/** BearerAuthentication for Nest routes. */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  constructor(private readonly bearer: BearerAuthentication) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.bearer.authenticate(context.switchToHttp().getRequest<FastifyRequest>());
    return true;
  }
}

import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DirectController } from '@cxauth/platform';
import { ClientAuthentication, TOKEN_MANAGEMENT_CLIENTS } from '../client-auth/client-authentication.service';
import { oauthOperation } from '../oauth/openapi';
import { AuthMetrics, failureOutcome } from '../metrics/auth-metrics';
import { KeyRing } from '../signing-keys/key-ring.service';
import { noStore, readParams } from '../token/token.endpoint';
import { RefreshTokenService } from '../tokens/refresh-token.service';
import { TokenService } from '../tokens/token.service';
import { InvalidRequest } from '@cxauth/domain';

/** Three base64url segments: a JWS in compact form. */
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

const TOKEN_PARAMETERS = { token: 'the token', token_type_hint: 'access_token or refresh_token' };

/**
 * RFC 7662 introspection and RFC 7009 revocation, both client-authenticated. A client sees (and
 * revokes) its own tokens — access, refresh and id tokens; internal clients (`internalClient: true`,
 * e.g. gateways) may introspect any.
 * Direct routes (INTROSPECTION_ROUTES).
 */
@Injectable()
export class IntrospectionEndpoint {
  constructor(
    private readonly clients: ClientAuthentication,
    private readonly tokens: TokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly keys: KeyRing,
    private readonly metrics: AuthMetrics,
  ) {}

  /** Counted by outcome: active, inactive, or the OAuth error (auth_token_validations_total). */
  async introspect(request: FastifyRequest, reply: FastifyReply): Promise<Record<string, unknown>> {
    try {
      const answer = await this.lookUp(request, reply);
      this.metrics.validation('introspection', answer.active ? 'active' : 'inactive');
      return answer;
    } catch (error) {
      this.metrics.validation('introspection', failureOutcome(error));
      throw error;
    }
  }

  private async lookUp(request: FastifyRequest, reply: FastifyReply): Promise<Record<string, unknown>> {
    const { client: caller } = await this.clients.authenticate(request, reply, TOKEN_MANAGEMENT_CLIENTS);
    noStore(reply);
    const params = readParams(request.body);
    if (!params.token) throw new InvalidRequest('token is required');
    // Reading other clients' tokens needs a proven secret: a PUBLIC client's id alone proves nothing.
    const readsAll = caller.internalClient && caller.clientType === 'CONFIDENTIAL';
    const mayRead = (clientId: string) => readsAll || clientId === caller.clientId;

    if (params.token_type_hint !== 'refresh_token') {
      const record = await this.tokens.findAccessToken(params.token);
      if (record && mayRead(record.clientId)) {
        const user = record.user;
        return {
          active: true,
          scope: record.scope,
          client_id: record.clientId,
          username: user?.username ?? record.subject,
          token_type: 'Bearer',
          exp: record.expiresAt,
          iat: record.issuedAt,
          sub: record.subject,
          iss: this.keys.issuer,
          ...(record.audience ? { aud: record.audience } : {}),
          ...(typeof record.jti === 'string' ? { jti: record.jti } : {}),
          ...(record.act ? { act: record.act } : {}),
          authorities: record.authorities,
        };
      }
    }
    const refresh = await this.refreshTokens.find(params.token);
    if (refresh && mayRead(refresh.clientId)) {
      const user = refresh.user;
      return {
        active: true,
        scope: refresh.scope,
        client_id: refresh.clientId,
        username: user?.username ?? refresh.subject,
        token_type: 'refresh_token',
        exp: Math.floor(refresh.expiresAt.getTime() / 1000),
        sub: refresh.subject,
        iss: this.keys.issuer,
      };
    }
    return { active: false };
  }

  /**
   * Always 200 for a well-formed request (RFC 7009 §2.2), whether or not the token was known. An access
   * token is revoked if it is the caller's; a JWT that is no access token is taken as an id token, revoked
   * (its `jti`, until `exp`) if it was issued to the caller; anything else as a refresh token (its family).
   */
  async revoke(request: FastifyRequest, reply: FastifyReply): Promise<string> {
    const { client } = await this.clients.authenticate(request, reply, TOKEN_MANAGEMENT_CLIENTS);
    noStore(reply);
    const params = readParams(request.body);
    if (!params.token) throw new InvalidRequest('token is required');
    const { clientId } = client;
    const jwt = JWT_SHAPE.test(params.token);
    if (jwt || params.token_type_hint !== 'refresh_token') {
      const record = await this.tokens.findAccessToken(params.token);
      if (record) {
        if (record.clientId === clientId) await this.tokens.revokeAccessToken(params.token);
        return '';
      }
    }
    // Refresh tokens are opaque: a JWT here can only be an id token (or nothing of ours).
    if (jwt) await this.tokens.revokeIdToken(params.token, clientId);
    else await this.refreshTokens.revoke(params.token, clientId);
    return '';
  }
}

export const INTROSPECTION_ROUTES: DirectController<IntrospectionEndpoint> = {
  controller: IntrospectionEndpoint,
  tag: 'OAuth 2.0',
  routes: [
    {
      method: 'POST',
      path: 'oauth/introspect',
      handler: 'introspect',
      operation: oauthOperation('Token introspection (RFC 7662)', TOKEN_PARAMETERS),
    },
    {
      method: 'POST',
      path: 'oauth/revoke',
      handler: 'revoke',
      operation: oauthOperation('Token revocation (RFC 7009)', TOKEN_PARAMETERS),
    },
  ],
};

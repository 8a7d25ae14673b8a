import { Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticatedClient } from '../client-auth/authenticated-client';
import { ClientAuthGuard } from '../client-auth/client-auth.guard';
import { InvalidRequest } from '../oauth/oauth.error';
import { KeyRing } from '../signing-keys/key-ring.service';
import { noStore, readParams } from '../token/token.controller';
import { RefreshTokenService } from '../tokens/refresh-token.service';
import { TokenService } from '../tokens/token.service';
import { ApiTags } from '@nestjs/swagger';
import { ApiOAuthOperation } from '../oauth/openapi';

type ClientAuthenticatedRequest = FastifyRequest & { user: AuthenticatedClient };

/**
 * RFC 7662 introspection and RFC 7009 revocation, both client-authenticated. A client sees (and
 * revokes) its own tokens; internal clients (`internalClient: true`, e.g. gateways) may introspect any.
 */
@ApiTags('OAuth 2.0')
@Controller('oauth')
@UseGuards(ClientAuthGuard)
export class IntrospectionController {
  constructor(
    private readonly tokens: TokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly keys: KeyRing,
  ) {}

  @Post('introspect')
  @ApiOAuthOperation('Token introspection (RFC 7662)', { token: 'the token', token_type_hint: 'access_token or refresh_token' })
  @HttpCode(200)
  async introspect(
    @Req() request: ClientAuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    noStore(reply);
    const params = readParams(request.body);
    if (!params.token) throw new InvalidRequest('token is required');
    const caller = request.user.client;
    const mayRead = (clientId: string) => caller.internalClient || clientId === caller.clientId;

    if (params.token_type_hint !== 'refresh_token') {
      const record = await this.tokens.findAccessToken(params.token);
      if (record && mayRead(record.clientId)) {
        const user = record.user as { username?: string } | undefined;
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
      const user = refresh.user as { username?: string } | undefined;
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

  /** Always 200 for a well-formed request (RFC 7009 §2.2), whether or not the token was known. */
  @Post('revoke')
  @ApiOAuthOperation('Token revocation (RFC 7009)', { token: 'the token', token_type_hint: 'access_token or refresh_token' })
  @HttpCode(200)
  async revoke(@Req() request: ClientAuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    noStore(reply);
    const params = readParams(request.body);
    if (!params.token) throw new InvalidRequest('token is required');
    const { clientId } = request.user.client;
    if (params.token_type_hint !== 'refresh_token') {
      const record = await this.tokens.findAccessToken(params.token);
      if (record) {
        if (record.clientId === clientId) await this.tokens.revokeAccessToken(params.token);
        return '';
      }
    }
    await this.refreshTokens.revoke(params.token, clientId);
    return '';
  }
}

import { Controller, Get, HttpCode, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainException, Envelope, ok } from '@cxauth/domain';
import { ClientRegistry } from '../clients/client-registry.service';
import { BearerRequest, BearerTokenGuard } from '../tokens/bearer-token.guard';
import { RefreshTokenService } from '../tokens/refresh-token.service';
import { TokenService } from '../tokens/token.service';

/**
 * GET/POST `/auth/v3/sign-out` with a Bearer token: revokes that token (and its refresh-token family);
 * `global=true` revokes every access and refresh token of the user. `redirectUri` (GET) must be one of
 * the token's client's registered redirect URIs — never an open redirect.
 */
@Controller('sign-out')
@UseGuards(BearerTokenGuard)
export class SignOutController {
  constructor(
    private readonly tokens: TokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly clients: ClientRegistry,
  ) {}

  @Post()
  @HttpCode(200)
  async post(@Req() request: BearerRequest, @Query('global') global?: string, @Query('redirectUri') redirectUri?: string, @Res({ passthrough: true }) reply?: FastifyReply): Promise<Envelope | void> {
    return this.signOut(request, reply!, global, redirectUri);
  }

  @Get()
  async get(@Req() request: BearerRequest, @Query('global') global?: string, @Query('redirectUri') redirectUri?: string, @Res({ passthrough: true }) reply?: FastifyReply): Promise<Envelope | void> {
    return this.signOut(request, reply!, global, redirectUri);
  }

  private async signOut(request: BearerRequest, reply: FastifyReply, global: unknown, redirectUri: unknown): Promise<Envelope | void> {
    if (global !== undefined && global !== 'true' && global !== 'false') {
      throw new DomainException('VALIDATION_FAILED', 'global: must be true or false');
    }
    if (redirectUri !== undefined && typeof redirectUri !== 'string') {
      throw new DomainException('VALIDATION_FAILED', 'redirectUri: must be given once');
    }
    const { principal, accessToken } = request;
    if (redirectUri !== undefined) {
      const client = await this.clients.find(principal.clientId);
      if (!client || !client.redirectUris.includes(redirectUri)) {
        throw new DomainException('VALIDATION_FAILED', 'redirectUri: not registered for this client');
      }
    }
    const record = await this.tokens.findAccessToken(accessToken);
    await this.tokens.revokeAccessToken(accessToken);
    if (record?.familyId) await this.refreshTokens.revokeFamily(record.familyId);
    if (global === 'true') await this.tokens.revokeSubject(principal.subject);
    void reply.header('cache-control', 'no-store');
    if (redirectUri !== undefined) {
      void reply.status(302).header('location', redirectUri);
      return;
    }
    return ok();
  }
}

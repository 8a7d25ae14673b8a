import { Injectable } from '@nestjs/common';
import { GRANT_TYPES } from '../../clients/client.model';
import { UnauthorizedClient } from '../../oauth/oauth.error';
import { TokenResponse, TokenService } from '../../tokens/token.service';
import type { GrantContext, GrantHandler } from './grant-handler';
import { resolveScope } from './scope';

/** RFC 6749 §4.4: the client acts for itself; no refresh token. No database access (cached client). */
@Injectable()
export class ClientCredentialsGrant implements GrantHandler {
  readonly grantType = GRANT_TYPES.CLIENT_CREDENTIALS;
  readonly parameters = ['scope'] as const;
  readonly required = [] as const;

  constructor(private readonly tokens: TokenService) {}

  async handle({ client, authentication, params }: GrantContext): Promise<TokenResponse> {
    if (authentication.method === 'none' || client.clientType !== 'CONFIDENTIAL') {
      throw new UnauthorizedClient('client_credentials needs a confidential client');
    }
    return this.tokens.issue({
      client,
      subject: client.clientId,
      scope: resolveScope(client, params.scope),
      authorities: client.authorities,
      refresh: false,
    });
  }
}

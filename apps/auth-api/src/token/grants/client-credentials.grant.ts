import { Injectable } from '@nestjs/common';
import { TokenService } from '../../tokens/token.service';
import type { GrantContext, GrantHandler } from './grant-handler';
import { GRANT_TYPES, resolveScope, type TokenResponse } from '@cxauth/domain';

/** RFC 6749 §4.4: the client acts for itself; no refresh token. No database access (cached client). */
@Injectable()
export class ClientCredentialsGrant implements GrantHandler {
  readonly grantType = GRANT_TYPES.CLIENT_CREDENTIALS;
  readonly parameters = ['scope'] as const;
  readonly required = [] as const;

  constructor(private readonly tokens: TokenService) {}

  /** Eligibility (a confidential client that proved its secret) is checked by assertGrantEligible. */
  async handle({ client, params }: GrantContext): Promise<TokenResponse> {
    return this.tokens.issue({
      client,
      subject: client.clientId,
      scope: resolveScope(client.scope, params.scope),
      authorities: client.authorities,
      refresh: false,
    });
  }
}

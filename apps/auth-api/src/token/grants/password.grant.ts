import { Injectable } from '@nestjs/common';
import { TokenService } from '../../tokens/token.service';
import { UserAuthenticationService } from '../../users/user-authentication.service';
import { type GrantContext, type GrantHandler, requiredParam } from './grant-handler';
import { clientServesUser, GRANT_TYPES, InvalidGrant, TokenResponse, resolveScope } from '@cxauth/domain';

/**
 * RFC 6749 §4.3: resource-owner password. `username` may be `tenant\user` (a contact-center domain) or
 * the ops user; an optional `tenant` field names the tenant separately.
 */
@Injectable()
export class PasswordGrant implements GrantHandler {
  readonly grantType = GRANT_TYPES.PASSWORD;
  readonly parameters = ['username', 'password', 'scope', 'tenant'] as const;
  readonly required = ['username', 'password'] as const;

  constructor(
    private readonly tokens: TokenService,
    private readonly users: UserAuthenticationService,
  ) {}

  async handle({ client, params, source, requestId }: GrantContext): Promise<TokenResponse> {
    const scope = resolveScope(client.scope, params.scope);
    const user = await this.users.authenticate(
      requiredParam(params, 'username'),
      requiredParam(params, 'password'),
      params.tenant ?? null,
      { ip: source, requestId, channel: 'password_grant', clientId: client.clientId },
    );
    if (!user) throw new InvalidGrant('Bad credentials');
    if (!clientServesUser(client, user)) {
      throw new InvalidGrant('The user does not belong to a contact center of this client');
    }
    return this.tokens.issue({
      client,
      subject: user.id,
      scope,
      authorities: user.authorities,
      user,
      authTime: Math.floor(Date.now() / 1000),
      refresh: true,
    });
  }
}

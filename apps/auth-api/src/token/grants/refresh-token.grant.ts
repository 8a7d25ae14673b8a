import { Injectable } from '@nestjs/common';
import { clientServesUser, GRANT_TYPES, InvalidGrant, narrowScope, type TokenResponse } from '@cxauth/domain';
import { RefreshTokenService } from '../../tokens/refresh-token.service';
import { TokenService } from '../../tokens/token.service';
import { UserAuthenticationService } from '../../users/user-authentication.service';
import { type GrantContext, type GrantHandler, requiredParam } from './grant-handler';

/** RFC 6749 §6 with rotation: each refresh token works once; a replayed one revokes its whole family. */
@Injectable()
export class RefreshTokenGrant implements GrantHandler {
  readonly grantType = GRANT_TYPES.REFRESH_TOKEN;
  readonly parameters = ['refresh_token', 'scope'] as const;
  readonly required = ['refresh_token'] as const;

  constructor(
    private readonly tokens: TokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly users: UserAuthenticationService,
  ) {}

  async handle({ client, params }: GrantContext): Promise<TokenResponse> {
    const { grant, next } = await this.refreshTokens.rotate(requiredParam(params, 'refresh_token'), client);
    const scope = narrowScope(grant.scope, params.scope);
    let user = grant.user;
    if (user) {
      // The user may have been disabled or removed since: refresh their details or refuse.
      const current = await this.users.findById(user.id);
      if (!current) {
        await this.refreshTokens.revokeFamily(next.familyId, 'user_gone');
        throw new InvalidGrant('The user of this refresh token no longer exists');
      }
      if (!clientServesUser(client, current)) {
        // The client was bound to other contact centers since the token was issued.
        await this.refreshTokens.revokeFamily(next.familyId, 'user_gone');
        throw new InvalidGrant('The user does not belong to a contact center of this client');
      }
      user = current;
    }
    return this.tokens.issue({
      client,
      subject: grant.subject,
      scope,
      authorities: user ? user.authorities : grant.authorities,
      user,
      authTime: grant.authTime,
      audience: grant.audience,
      refresh: true,
      familyId: next.familyId,
      refreshToken: next.token,
    });
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { assertRedisReady, REDIS, type RedisClient } from '@cxauth/platform';
import { clientServesUser, GRANT_TYPES, InvalidGrant, narrowScope, type TokenResponse } from '@cxauth/domain';
import { RefreshTokenService } from '../../tokens/refresh-token.service';
import { TokenService } from '../../tokens/token.service';
import { UserAuthenticationService } from '../../users/user-authentication.service';
import { type GrantContext, type GrantHandler, requiredParam } from './grant-handler';

/**
 * RFC 6749 §6 with rotation: each refresh token works once; a retry within the grace window gets the same
 * answer, a later replay revokes the whole family.
 */
@Injectable()
export class RefreshTokenGrant implements GrantHandler {
  readonly grantType = GRANT_TYPES.REFRESH_TOKEN;
  readonly parameters = ['refresh_token', 'scope'] as const;
  readonly required = ['refresh_token'] as const;
  readonly checksRedisItself = true;

  constructor(
    private readonly tokens: TokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly users: UserAuthenticationService,
    @Inject(REDIS) private readonly redis: RedisClient,
  ) {}

  async handle({ client, params }: GrantContext): Promise<TokenResponse> {
    const presented = requiredParam(params, 'refresh_token');
    const { answer, replayed } = await this.refreshTokens.rotate(presented, client, async (grant, next) => {
      // Called once the token proved live and unspent (a replay has revoked its family by now): with
      // Redis down, refuse before rotating, rather than rotate, fail to store and undo the rotation.
      assertRedisReady(this.redis);
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
      return this.tokens.prepare({
        client,
        subject: grant.subject,
        scope: narrowScope(grant.scope, params.scope),
        authorities: user ? user.authorities : grant.authorities,
        user,
        authTime: grant.authTime,
        audience: grant.audience,
        refresh: true,
        familyId: next.familyId,
        refreshToken: next.token,
      });
    });
    try {
      return await this.tokens.persist(answer);
    } catch (error) {
      // The answer cannot be completed: give the presented token back rather than spend it for nothing
      // (a replay leaves it: another caller may already hold the successor).
      if (!replayed) await this.refreshTokens.undoRotation(presented, answer).catch(() => undefined);
      throw error;
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { RefreshTokenService } from '../../tokens/refresh-token.service';
import { TokenService } from '../../tokens/token.service';
import { SessionService } from '../../session/session.service';
import { UserAuthenticationService } from '../../users/user-authentication.service';
import { type GrantContext, type GrantHandler, requiredParam } from './grant-handler';
import {
  GRANT_TYPES,
  InvalidGrant,
  type TokenResponse,
  AUTHORIZATION_CODE_STORE,
  type AuthorizationCodeStore,
  verifyPkce,
} from '@cxauth/domain';

/**
 * RFC 6749 §4.1 with PKCE (RFC 7636, S256). Checks run in oidc-provider's order: expired → PKCE →
 * redirect_uri → consume (GETDEL, single use). A replayed code revokes what its first redemption issued.
 */
@Injectable()
export class AuthorizationCodeGrant implements GrantHandler {
  readonly grantType = GRANT_TYPES.AUTHORIZATION_CODE;
  readonly parameters = ['code', 'redirect_uri', 'code_verifier'] as const;
  readonly required = ['code', 'redirect_uri'] as const;

  constructor(
    @Inject(AUTHORIZATION_CODE_STORE) private readonly codes: AuthorizationCodeStore,
    private readonly tokens: TokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly users: UserAuthenticationService,
    private readonly sessions: SessionService,
  ) {}

  async handle({ client, params }: GrantContext): Promise<TokenResponse> {
    const code = requiredParam(params, 'code');
    if (code.length > 512) throw new InvalidGrant('Invalid authorization code');
    const found = await this.codes.peek(code);
    if (!found) throw new InvalidGrant('Invalid authorization code');
    if ('replayed' in found) {
      if (found.familyId) await this.refreshTokens.revokeFamily(found.familyId, 'code_replayed');
      throw new InvalidGrant('Authorization code has already been used');
    }
    const { record, expiresAt } = found;
    if (record.clientId !== client.clientId) throw new InvalidGrant('Authorization code was issued to another client');
    if (expiresAt <= Math.floor(Date.now() / 1000)) throw new InvalidGrant('Authorization code has expired');
    verifyPkce(record.codeChallenge, params.code_verifier, client.clientType === 'PUBLIC');
    if (params.redirect_uri !== record.redirectUri)
      throw new InvalidGrant('redirect_uri does not match the authorization request');
    const consumed = await this.codes.consume(code);
    if (!consumed || !('record' in consumed)) {
      if (consumed && consumed.familyId) await this.refreshTokens.revokeFamily(consumed.familyId, 'code_replayed');
      throw new InvalidGrant('Authorization code has already been used');
    }
    // Since the code was minted the user may have been disabled or deleted, or their session ended
    // (sign-out, a password change): then it buys nothing.
    const user = await this.users.findById(record.user.id);
    if (!user || (record.sessionId !== undefined && !(await this.sessions.isLive(record.sessionId)))) {
      throw new InvalidGrant('The user of this authorization code is no longer signed in');
    }
    const { response, familyId } = await this.tokens.issueWithFamily({
      client,
      subject: user.id,
      scope: record.scope,
      authorities: user.authorities,
      user,
      authTime: record.authTime,
      nonce: record.nonce,
      refresh: true,
    });
    if (familyId) await this.codes.recordRedemption(code, familyId);
    return response;
  }
}

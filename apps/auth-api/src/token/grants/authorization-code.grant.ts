import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { constantTimeEquals } from '@cxauth/platform';
import { GRANT_TYPES } from '../../clients/client.model';
import { RedisAuthorizationCodeStore } from '../../authorization-codes/redis-authorization-code.store';
import { InvalidGrant, InvalidRequest } from '../../oauth/oauth.error';
import { RefreshTokenService } from '../../tokens/refresh-token.service';
import { TokenResponse, TokenService } from '../../tokens/token.service';
import { type GrantContext, type GrantHandler, requiredParam } from './grant-handler';

const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

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
    private readonly codes: RedisAuthorizationCodeStore,
    private readonly tokens: TokenService,
    private readonly refreshTokens: RefreshTokenService,
  ) {}

  async handle({ client, params }: GrantContext): Promise<TokenResponse> {
    const code = requiredParam(params, 'code');
    if (code.length > 512) throw new InvalidGrant('Invalid authorization code');
    const found = await this.codes.peek(code);
    if (!found) throw new InvalidGrant('Invalid authorization code');
    if ('replayed' in found) {
      if (found.familyId) await this.refreshTokens.revokeFamily(found.familyId);
      throw new InvalidGrant('Authorization code has already been used');
    }
    const { record, expiresAt } = found;
    if (record.clientId !== client.clientId) throw new InvalidGrant('Authorization code was issued to another client');
    if (expiresAt <= Math.floor(Date.now() / 1000)) throw new InvalidGrant('Authorization code has expired');
    this.checkPkce(record.codeChallenge, params.code_verifier, client.clientType === 'PUBLIC');
    if (params.redirect_uri !== record.redirectUri)
      throw new InvalidGrant('redirect_uri does not match the authorization request');
    const consumed = await this.codes.consume(code);
    if (!consumed || !('record' in consumed)) {
      if (consumed && consumed.familyId) await this.refreshTokens.revokeFamily(consumed.familyId);
      throw new InvalidGrant('Authorization code has already been used');
    }
    const { response, familyId } = await this.tokens.issueWithFamily({
      client,
      subject: record.user.id,
      scope: record.scope,
      authorities: record.user.authorities,
      user: record.user,
      authTime: record.authTime,
      nonce: record.nonce,
      refresh: true,
    });
    if (familyId) await this.codes.recordRedemption(code, familyId);
    return response;
  }

  private checkPkce(challenge: string | undefined, verifier: string | undefined, publicClient: boolean): void {
    if (!challenge) {
      if (publicClient) throw new InvalidGrant('PKCE is required for public clients');
      if (verifier !== undefined)
        throw new InvalidGrant('code_verifier given but the authorization request had no code_challenge');
      return;
    }
    if (verifier === undefined) throw new InvalidRequest('code_verifier is required');
    if (!CODE_VERIFIER.test(verifier)) throw new InvalidGrant('Invalid code_verifier');
    const computed = createHash('sha256').update(verifier, 'ascii').digest('base64url');
    if (!constantTimeEquals(computed, challenge)) throw new InvalidGrant('PKCE verification failed');
  }
}

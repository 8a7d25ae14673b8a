import { Injectable } from '@nestjs/common';
import {
  type DirectoryUser,
  GRANT_TYPES,
  InvalidGrant,
  InvalidRequest,
  InvalidTarget,
  TokenResponse,
  narrowScope,
  TOKEN_TYPES,
} from '@cxauth/domain';
import { KeyRing } from '../../signing-keys/key-ring.service';
import { RefreshTokenService } from '../../tokens/refresh-token.service';
import { TokenService } from '../../tokens/token.service';
import { UserAuthenticationService } from '../../users/user-authentication.service';
import { type GrantContext, type GrantHandler, requiredParam } from './grant-handler';

interface ResolvedToken {
  subject: string;
  clientId: string;
  scope: string;
  authorities: string[];
  user?: DirectoryUser;
}

/** The part of a stored access- or refresh-token grant that an exchange carries over. */
function resolvedFrom(stored: ResolvedToken): ResolvedToken {
  const { subject, clientId, scope, authorities, user } = stored;
  return { subject, clientId, scope, authorities, user };
}

/**
 * RFC 8693 token exchange: our own access, refresh or id tokens as `subject_token` (and optionally
 * `actor_token`, recorded as the `act` claim); `audience`/`resource` restrict the new token. The answer
 * is an access token (no refresh token) for the requesting client, speaking for the subject.
 */
@Injectable()
export class TokenExchangeGrant implements GrantHandler {
  readonly grantType = GRANT_TYPES.TOKEN_EXCHANGE;
  readonly parameters = [
    'subject_token',
    'subject_token_type',
    'actor_token',
    'actor_token_type',
    'audience',
    'resource',
    'scope',
    'requested_token_type',
  ] as const;
  readonly required = ['subject_token', 'subject_token_type'] as const;

  constructor(
    private readonly tokens: TokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly keys: KeyRing,
    private readonly users: UserAuthenticationService,
  ) {}

  async handle({ client, params }: GrantContext): Promise<TokenResponse> {
    if (params.requested_token_type && params.requested_token_type !== TOKEN_TYPES.ACCESS_TOKEN) {
      throw new InvalidRequest('Only access tokens can be requested');
    }
    if ((params.actor_token === undefined) !== (params.actor_token_type === undefined)) {
      throw new InvalidRequest('actor_token and actor_token_type go together');
    }
    const subject = await this.resolve(
      requiredParam(params, 'subject_token'),
      requiredParam(params, 'subject_token_type'),
      'subject_token',
    );
    const actor = params.actor_token
      ? await this.resolve(params.actor_token, requiredParam(params, 'actor_token_type'), 'actor_token')
      : undefined;
    const audience = this.audience(params);
    const response = await this.tokens.issue({
      client,
      subject: subject.subject,
      scope: narrowScope(subject.scope, params.scope),
      authorities: subject.authorities,
      user: subject.user,
      audience,
      actor: actor ? { sub: actor.subject, client_id: actor.clientId } : undefined,
      refresh: false,
    });
    return { ...response, issued_token_type: TOKEN_TYPES.ACCESS_TOKEN };
  }

  private audience(params: Readonly<Record<string, string>>): string[] | undefined {
    const values = [params.audience, params.resource].filter((value): value is string => Boolean(value));
    if (values.length === 0) return undefined;
    for (const value of values) {
      if (value.length > 2048) throw new InvalidTarget('audience or resource too long');
    }
    if (params.resource) {
      try {
        const url = new URL(params.resource);
        if (url.hash) throw new Error('fragment');
      } catch {
        throw new InvalidTarget('resource must be an absolute URI without a fragment');
      }
    }
    return values;
  }

  private async resolve(token: string, type: string, name: string): Promise<ResolvedToken> {
    switch (type) {
      case TOKEN_TYPES.ACCESS_TOKEN: {
        const record = await this.tokens.findAccessToken(token);
        if (!record) throw new InvalidGrant(`${name} is not an active access token`);
        return resolvedFrom(record);
      }
      case TOKEN_TYPES.REFRESH_TOKEN: {
        const grant = await this.refreshTokens.find(token);
        if (!grant) throw new InvalidGrant(`${name} is not an active refresh token`);
        return resolvedFrom(grant);
      }
      case TOKEN_TYPES.ID_TOKEN:
      case TOKEN_TYPES.JWT: {
        let payload;
        try {
          payload = await this.keys.verify(token);
        } catch {
          throw new InvalidGrant(`${name} is not a valid token issued here`);
        }
        if (typeof payload.sub !== 'string') throw new InvalidGrant(`${name} has no subject`);
        const clientId =
          typeof payload.azp === 'string'
            ? payload.azp
            : typeof payload.client_id === 'string'
              ? payload.client_id
              : '';
        const user = await this.users.findById(payload.sub);
        return {
          subject: payload.sub,
          clientId,
          scope: typeof payload.scope === 'string' ? payload.scope : 'openid',
          authorities: user?.authorities ?? [],
          user: user ?? undefined,
        };
      }
      default:
        throw new InvalidRequest(`Unsupported ${name}_type`);
    }
  }
}

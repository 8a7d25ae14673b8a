import { Inject, Injectable } from '@nestjs/common';
import {
  assertAudiencesAllowed,
  AUDIT_LOG,
  type AuditLog,
  assertExchangeableType,
  assertMayExchange,
  capAuthorities,
  capScope,
  clientServesUser,
  type DirectoryUser,
  exchangePolicyOf,
  GRANT_TYPES,
  InvalidGrant,
  InvalidRequest,
  InvalidScope,
  InvalidTarget,
  narrowScope,
  type RegisteredClient,
  resolveScope,
  TOKEN_TYPES,
  type TokenExchangePolicy,
  type TokenResponse,
} from '@cxauth/domain';
import { KeyRing } from '../../signing-keys/key-ring.service';
import { type IssuedRefreshToken, RefreshTokenService } from '../../tokens/refresh-token.service';
import { TokenService } from '../../tokens/token.service';
import { UserAuthenticationService } from '../../users/user-authentication.service';
import { type GrantContext, type GrantHandler, requiredParam } from './grant-handler';

/** A presented token, checked: who it speaks for and what it grants. */
interface ResolvedToken {
  subject: string;
  clientId: string;
  scope: string;
  authorities: string[];
  /** Set when a user (re-read from the directory just now) is behind the token; absent for a client subject. */
  user?: DirectoryUser;
  authTime?: number;
  /** The successor of an exchanged refresh token (the exchange rotates it). */
  rotated?: IssuedRefreshToken;
}

/**
 * RFC 8693 token exchange: our own access, refresh or id tokens as `subject_token` (and optionally
 * `actor_token`, recorded as the `act` claim); `audience`/`resource` restrict the new token.
 *
 * The caller's exchange policy (`tokenExchange`) says which token types and audiences it may use
 * and whose tokens besides its own it may exchange; a refresh token only ever by the client it was
 * issued to, which rotates it (a replay revokes its family). Every presented token must still be
 * live (revocation is checked for JWTs too), its user still enabled and served by the caller's
 * contact centers; the answer never grants more scope or authorities than the caller is registered for.
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
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  /** Every exchange, granted or refused, goes to the audit trail (who exchanged what, for whom). */
  async handle(context: GrantContext): Promise<TokenResponse> {
    const { client, params } = context;
    const record = (outcome: 'success' | 'failure', subject?: ResolvedToken, error?: unknown) =>
      this.audit.record({
        type: 'token_exchange',
        outcome,
        actor: client.clientId,
        target: subject?.subject ?? null,
        clientId: client.clientId,
        tenant: subject?.user?.contactCenterId ?? null,
        sourceIp: context.source,
        requestId: context.requestId,
        detail: {
          subject_token_type: params.subject_token_type ?? null,
          ...(error !== undefined && { error: (error as { error?: string }).error ?? (error as Error).name }),
        },
      });
    try {
      const { response, subject } = await this.exchange(context);
      await record('success', subject);
      return response;
    } catch (error) {
      await record('failure', undefined, error);
      throw error;
    }
  }

  private async exchange({
    client,
    params,
  }: GrantContext): Promise<{ response: TokenResponse; subject: ResolvedToken }> {
    if (params.requested_token_type && params.requested_token_type !== TOKEN_TYPES.ACCESS_TOKEN) {
      throw new InvalidRequest('Only access tokens can be requested');
    }
    if ((params.actor_token === undefined) !== (params.actor_token_type === undefined)) {
      throw new InvalidRequest('actor_token and actor_token_type go together');
    }
    const policy = exchangePolicyOf(client);
    const subjectType = requiredParam(params, 'subject_token_type');
    assertExchangeableType(policy, subjectType, 'subject_token');
    if (params.actor_token_type) {
      assertExchangeableType(policy, params.actor_token_type, 'actor_token');
      if (params.actor_token_type === TOKEN_TYPES.REFRESH_TOKEN) {
        throw new InvalidRequest('actor_token cannot be a refresh token');
      }
    }
    const audience = this.audience(params);
    if (audience) assertAudiencesAllowed(policy, audience);
    const actor =
      params.actor_token && params.actor_token_type
        ? await this.resolve(client, policy, params.actor_token, params.actor_token_type, 'actor_token')
        : undefined;
    // The subject last: resolving a refresh token rotates it, so nothing may fail after that but the issue itself.
    const subjectToken = requiredParam(params, 'subject_token');
    const subject = await this.resolve(client, policy, subjectToken, subjectType, 'subject_token');
    try {
      const scope = this.scope(client, subject.scope, params.scope);
      const authorities = capAuthorities(subject.authorities, client.authorities);
      const response = await this.tokens.issue({
        client,
        subject: subject.subject,
        scope,
        authorities,
        user: subject.user ? { ...subject.user, authorities } : undefined,
        authTime: subject.authTime,
        audience,
        actor: actor ? { sub: actor.subject, client_id: actor.clientId } : undefined,
        refresh: Boolean(subject.rotated),
        familyId: subject.rotated?.familyId,
        refreshToken: subject.rotated?.token,
      });
      return { response: { ...response, issued_token_type: TOKEN_TYPES.ACCESS_TOKEN }, subject };
    } catch (error) {
      // Not issued (a refused scope, Redis unreachable): the presented refresh token is given back unspent.
      if (subject.rotated)
        await this.refreshTokens.giveBack(subjectToken, subject.rotated.token).catch(() => undefined);
      throw error;
    }
  }

  /** The requested scope (registered for the caller and within the subject's grant), or the grant capped to the caller. */
  private scope(client: RegisteredClient, granted: string, requested: string | undefined): string {
    if (requested !== undefined && requested.trim() !== '') {
      resolveScope(client.scope, requested);
      return narrowScope(granted, requested);
    }
    const capped = capScope(granted, client.scope);
    if (!capped) throw new InvalidScope('No scope of the subject token is registered for this client');
    return capped;
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

  private async resolve(
    client: RegisteredClient,
    policy: TokenExchangePolicy,
    token: string,
    type: string,
    name: string,
  ): Promise<ResolvedToken> {
    switch (type) {
      case TOKEN_TYPES.ACCESS_TOKEN: {
        const resolved = await this.fromAccessToken(client, policy, token, name);
        if (!resolved) throw new InvalidGrant(`${name} is not an active access token`);
        return resolved;
      }
      case TOKEN_TYPES.REFRESH_TOKEN:
        return this.fromRefreshToken(client, token, name);
      case TOKEN_TYPES.ID_TOKEN:
        return this.fromIdToken(client, policy, token, name);
      default: {
        // A JWT: one of our JWT access tokens (live in the store, so revocation counts) or an id token.
        const resolved = await this.fromAccessToken(client, policy, token, name);
        return resolved ?? this.fromIdToken(client, policy, token, name);
      }
    }
  }

  private async fromAccessToken(
    client: RegisteredClient,
    policy: TokenExchangePolicy,
    token: string,
    name: string,
  ): Promise<ResolvedToken | null> {
    const record = await this.tokens.findAccessToken(token);
    if (!record) return null;
    assertMayExchange(
      policy,
      client.clientId,
      { kind: 'access', clientId: record.clientId, audience: record.audience },
      name,
    );
    const base = { subject: record.subject, clientId: record.clientId, scope: record.scope, authTime: record.authTime };
    // Only a stored user makes a user subject: a client subject is never looked up as a user of the same name.
    if (!record.user) return { ...base, authorities: record.authorities };
    const user = await this.currentUser(client, record.user.id, name);
    return { ...base, authorities: user.authorities, user };
  }

  private async fromRefreshToken(client: RegisteredClient, token: string, name: string): Promise<ResolvedToken> {
    const candidate = await this.refreshTokens.find(token);
    if (candidate)
      assertMayExchange(
        exchangePolicyOf(client),
        client.clientId,
        { kind: 'refresh', clientId: candidate.clientId },
        name,
      );
    // Rotation: the presented token is spent; a second use is a replay and revokes the family.
    const { grant, next } = await this.refreshTokens.spend(token, client);
    let user: DirectoryUser | undefined;
    try {
      user = grant.user ? await this.currentUser(client, grant.user.id, name) : undefined;
    } catch (error) {
      await this.refreshTokens.revokeFamily(next.familyId, 'exchange_refused');
      throw error;
    }
    return {
      subject: grant.subject,
      clientId: client.clientId,
      scope: grant.scope,
      authorities: user ? user.authorities : grant.authorities,
      user,
      authTime: grant.authTime,
      rotated: next,
    };
  }

  /** An OpenID Connect id token we issued (not an X-GWS-User or access JWT), not revoked, for a user still enabled. */
  private async fromIdToken(
    client: RegisteredClient,
    policy: TokenExchangePolicy,
    token: string,
    name: string,
  ): Promise<ResolvedToken> {
    let payload;
    try {
      payload = await this.keys.verify(token, { typ: 'JWT', requiredClaims: ['sub', 'azp', 'aud', 'iat', 'at_hash'] });
    } catch {
      throw new InvalidGrant(`${name} is not a valid id token issued here`);
    }
    const { sub, azp, iat } = payload;
    if (typeof sub !== 'string' || typeof azp !== 'string' || typeof iat !== 'number') {
      throw new InvalidGrant(`${name} is not a valid id token issued here`);
    }
    const audience = typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? []);
    assertMayExchange(policy, client.clientId, { kind: 'id', clientId: azp, audience }, name);
    // Revoked one by one (its jti), or issued before the user was signed out everywhere.
    if (await this.tokens.idTokenRevoked({ sub, iat, jti: payload.jti })) {
      throw new InvalidGrant(`${name} has been revoked`);
    }
    const user = await this.currentUser(client, sub, name);
    return {
      subject: user.id,
      clientId: azp,
      scope: 'openid',
      authorities: user.authorities,
      user,
      authTime: typeof payload.auth_time === 'number' ? payload.auth_time : undefined,
    };
  }

  /** The token's user as the directory has it now: refused when disabled, deleted or outside the caller's tenants. */
  private async currentUser(client: RegisteredClient, userId: string, name: string): Promise<DirectoryUser> {
    const user = await this.users.findById(userId);
    if (!user) throw new InvalidGrant(`The user of ${name} no longer exists or is disabled`);
    if (!clientServesUser(client, user)) {
      throw new InvalidGrant('The user does not belong to a contact center of this client');
    }
    return user;
  }
}

import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { JWTPayload } from 'jose';
import {
  type AccessTokenRecord,
  type ActorClaim,
  type DirectoryUser,
  InvalidGrant,
  type TokenPrincipal,
  sha256Hex,
  allowsGrant,
  GRANT_TYPES,
  RegisteredClient,
  RefreshGrant,
  type TokenResponse,
  scopeIncludes,
  toPrincipal,
  TOKEN_STORE,
  type TokenStore,
} from '@cxauth/domain';
import { APP_CONFIG } from '@cxauth/platform';
import type { AuthApiConfig } from '../auth-api.config';
import { ClientRegistry } from '../clients/client-registry.service';
import { KeyRing } from '../signing-keys/key-ring.service';
import { newOpaqueToken } from './opaque-token';
import { RefreshTokenService, type RotationAnswer } from './refresh-token.service';

/** What a grant hands over once it has decided who the token is for. */
export interface TokenRequestOutcome {
  client: RegisteredClient;
  subject: string;
  scope: string;
  authorities: string[];
  user?: DirectoryUser;
  authTime?: number;
  nonce?: string;
  audience?: string[];
  /** RFC 8693 `act` claim (the actor of a delegation). */
  actor?: ActorClaim;
  /** Issue a refresh token (when the client may refresh). */
  refresh: boolean;
  /** Keep an existing family (refresh rotation) instead of starting a new one. */
  familyId?: string;
  /** A successor refresh token already minted (refresh rotation). */
  refreshToken?: string;
}

/**
 * Mints tokens. Access tokens are opaque (OPAQUE_TOKEN_FORMAT) or RFC 9068 JWTs per client; either way the
 * record lives in Redis under SHA-256 of the token, so validation is one Redis read and revocation works
 * for both formats.
 */
@Injectable()
export class TokenService {
  constructor(
    @Inject(TOKEN_STORE) private readonly store: TokenStore,
    private readonly refreshTokens: RefreshTokenService,
    private readonly keys: KeyRing,
    private readonly clients: ClientRegistry,
    @Inject(APP_CONFIG) private readonly config: Pick<AuthApiConfig, 'OPAQUE_TOKEN_FORMAT'>,
  ) {}

  async issue(outcome: TokenRequestOutcome): Promise<TokenResponse> {
    return (await this.issueWithFamily(outcome)).response;
  }

  /** Like issue(), also telling which refresh-token family the answer belongs to. */
  async issueWithFamily(outcome: TokenRequestOutcome): Promise<{ response: TokenResponse; familyId?: string }> {
    const { client } = outcome;
    let familyId = outcome.familyId;
    let refreshToken = outcome.refreshToken;
    if (!refreshToken && outcome.refresh && allowsGrant(client, GRANT_TYPES.REFRESH_TOKEN)) {
      const grant: RefreshGrant = {
        subject: outcome.subject,
        scope: outcome.scope,
        authorities: outcome.authorities,
        user: outcome.user,
        authTime: outcome.authTime,
        audience: outcome.audience,
      };
      const issued = await this.refreshTokens.issue(client, grant, familyId);
      refreshToken = issued.token;
      familyId = issued.familyId;
    }
    const answer = await this.prepare({ ...outcome, familyId, refreshToken });
    await this.persist(answer);
    return { response: answer.response, familyId };
  }

  /**
   * Mints the answer (access token, id token, the refresh token given) without storing anything yet:
   * refresh rotation seals it with the spend of the old token first (RefreshTokenService.rotate).
   */
  async prepare(outcome: TokenRequestOutcome): Promise<RotationAnswer> {
    const { client, familyId, refreshToken } = outcome;
    const lifetime = client.accessTokenValidity;
    const { token: accessToken, record } = await this.mintAccessToken(outcome, lifetime, familyId);
    // Field order as the product answers (seed 001): access_token, token_type, refresh_token, expires_in, scope.
    const response: TokenResponse = {
      access_token: accessToken,
      token_type: 'bearer',
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      expires_in: lifetime,
      scope: outcome.scope,
    };
    if (outcome.user && scopeIncludes(outcome.scope, 'openid')) {
      response.id_token = await this.idToken(outcome, accessToken, lifetime);
    }
    return { response, accessTokenHash: sha256Hex(accessToken), record };
  }

  /**
   * Stores a prepared answer's access token for the rest of its lifetime; storing it again (a replayed
   * rotation) is harmless. Returns the response with `expires_in` counted from now.
   */
  async persist({ response, accessTokenHash, record }: RotationAnswer): Promise<TokenResponse> {
    const remaining = record.expiresAt - Math.floor(Date.now() / 1000);
    if (remaining <= 0) throw new InvalidGrant('Invalid refresh token');
    await this.store.save(accessTokenHash, record, remaining);
    return { ...response, expires_in: Math.min(response.expires_in, remaining) };
  }

  /**
   * The live record of an access token (opaque or JWT), or null. One Redis read; the client check is
   * in memory (the registry caches misses too), so a deleted client's tokens stop working at once.
   */
  async findAccessToken(token: string): Promise<AccessTokenRecord | null> {
    if (!token || token.length > 8192) return null;
    const record = await this.store.find(sha256Hex(token));
    if (!record || !(await this.clients.find(record.clientId))) return null;
    return record;
  }

  async principal(token: string): Promise<TokenPrincipal | null> {
    const record = await this.findAccessToken(token);
    return record ? toPrincipal(record) : null;
  }

  async revokeAccessToken(token: string): Promise<void> {
    await this.store.revoke(sha256Hex(token));
  }

  /**
   * Whether a token of the subject issued at `issuedAt` (epoch seconds) has been revoked by a later
   * revokeSubject — for the tokens with no record of their own (id tokens).
   */
  async revokedSince(subject: string, issuedAt: number): Promise<boolean> {
    const cutoff = await this.store.subjectRevokedAt(subject);
    return cutoff !== null && issuedAt <= cutoff;
  }

  /**
   * Whether an id token we signed (its verified claims) no longer counts: revoked one by one (its
   * `jti`, RFC 7009 revocation), or issued before its user's last "revoke everything". Id tokens minted
   * before they carried a `jti` only know the second rule. Two Redis reads, in parallel.
   */
  async idTokenRevoked(claims: { sub: string; iat?: unknown; jti?: unknown }): Promise<boolean> {
    const issuedAt = typeof claims.iat === 'number' ? claims.iat : 0;
    const [bySubject, byId] = await Promise.all([
      this.revokedSince(claims.sub, issuedAt),
      isIdTokenId(claims.jti) ? this.store.idTokenRevoked(claims.jti) : false,
    ]);
    return bySubject || byId;
  }

  /**
   * RFC 7009 for id tokens: an id token we signed, unexpired, issued to the caller (`azp` and `aud`),
   * with a `jti`, is revoked until its `exp`. Anything else — another client's id token, one without
   * a `jti` (minted before they had one), not ours — changes nothing. True when one was revoked.
   */
  async revokeIdToken(token: string, callerClientId: string): Promise<boolean> {
    let payload: JWTPayload;
    try {
      payload = await this.keys.verify(token, { typ: 'JWT', requiredClaims: ['sub', 'azp', 'aud', 'exp', 'at_hash'] });
    } catch {
      return false;
    }
    const audience = typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? []);
    if (payload.azp !== callerClientId || !audience.includes(callerClientId)) return false;
    if (!isIdTokenId(payload.jti)) return false;
    const remaining = (payload.exp ?? 0) - Math.floor(Date.now() / 1000);
    if (remaining <= 0) return false;
    await this.store.revokeIdToken(payload.jti, remaining);
    return true;
  }

  /** Global sign-out: every access and refresh token of the subject. */
  async revokeSubject(subject: string): Promise<void> {
    await this.refreshTokens.revokeSubject(subject);
    await this.store.revokeAllForSubject(subject);
  }

  private async mintAccessToken(
    outcome: TokenRequestOutcome,
    lifetime: number,
    familyId: string | undefined,
  ): Promise<{ token: string; record: AccessTokenRecord }> {
    const now = Math.floor(Date.now() / 1000);
    const jti = randomUUID();
    const record: AccessTokenRecord = {
      clientId: outcome.client.clientId,
      subject: outcome.subject,
      scope: outcome.scope,
      authorities: outcome.authorities,
      issuedAt: now,
      expiresAt: now + lifetime,
      jti,
    };
    if (outcome.user) record.user = outcome.user;
    if (familyId) record.familyId = familyId;
    if (outcome.audience) record.audience = outcome.audience;
    if (outcome.actor) record.act = outcome.actor;
    if (outcome.authTime) record.authTime = outcome.authTime;
    let token: string;
    if (outcome.client.tokenFormat === 'jwt') {
      token = await this.keys.sign(
        {
          sub: outcome.subject,
          aud: outcome.audience ?? [outcome.client.clientId],
          client_id: outcome.client.clientId,
          scope: outcome.scope,
          authorities: outcome.authorities,
          jti,
          ...(outcome.authTime ? { auth_time: outcome.authTime } : {}),
          ...(outcome.actor ? { act: outcome.actor } : {}),
          ...(outcome.user?.contactCenterId ? { contact_center_id: outcome.user.contactCenterId } : {}),
        },
        { typ: 'at+jwt', expiresInSeconds: lifetime },
      );
    } else {
      token = newOpaqueToken(this.config.OPAQUE_TOKEN_FORMAT);
    }
    return { token, record };
  }

  private idToken(outcome: TokenRequestOutcome, accessToken: string, lifetime: number): Promise<string> {
    const user = outcome.user!;
    const atHash = Buffer.from(sha256Hex(accessToken).slice(0, 32), 'hex').toString('base64url');
    return this.keys.sign(
      {
        sub: outcome.subject,
        aud: outcome.client.clientId,
        azp: outcome.client.clientId,
        // Names the id token for revocation one by one (RFC 7009): `idt-revoked:<jti>` until `exp`.
        jti: randomUUID(),
        at_hash: atHash,
        ...(outcome.authTime ? { auth_time: outcome.authTime } : {}),
        ...(outcome.nonce ? { nonce: outcome.nonce } : {}),
        user_name: user.username,
        ...(user.email ? { email: user.email } : {}),
        ...(user.firstName ? { given_name: user.firstName } : {}),
        ...(user.lastName ? { family_name: user.lastName } : {}),
        ...(user.contactCenterId ? { contact_center_id: user.contactCenterId } : {}),
        ...(user.environmentId ? { environment_id: user.environmentId } : {}),
      },
      { expiresInSeconds: lifetime },
    );
  }
}

/** A `jti` as we mint them (a UUID): anything longer or stranger is not one of ours. */
function isIdTokenId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 64;
}

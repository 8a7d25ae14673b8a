import { Inject, Injectable } from '@nestjs/common';
import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, JWTPayload, jwtVerify } from 'jose';
import { REDIS, RedisClient } from '@cxauth/platform';
import { KeyRing } from '../../signing-keys/key-ring.service';
import { TokenService } from '../../tokens/token.service';
import { UserAuthenticationService } from '../../users/user-authentication.service';
import { type GrantContext, type GrantHandler, requiredParam } from './grant-handler';
import {
  mayAssertUser,
  sha256Hex,
  GRANT_TYPES,
  RegisteredClient,
  InvalidGrant,
  TokenResponse,
  resolveScope,
} from '@cxauth/domain';

const ALGORITHMS = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'];
const CLOCK_TOLERANCE_SECONDS = 30;
/** Assertions may live at most this long (bounds the jti replay memory). */
const MAX_ASSERTION_LIFETIME_SECONDS = 3600;

type KeySet = ReturnType<typeof createLocalJWKSet> | ReturnType<typeof createRemoteJWKSet>;

/**
 * RFC 7523 §2.1: a JWT signed with a key registered on the client (`jwks` or `jwksUri`). Checks: signature,
 * `iss` = client_id, `aud` = our token endpoint or issuer, `exp` (≤ 1 h ahead), `nbf`, `sub`, and a `jti`
 * that was never seen before (Redis SET NX until the assertion expires). `sub` = the client id asks for a
 * client token; any other `sub` names a user (its system-wide id, `<cc-id>\agent`) of a contact center
 * the client is bound to (`contactCenterIds`) — never the ops user, never a user of another tenant.
 */
@Injectable()
export class JwtBearerGrant implements GrantHandler {
  readonly grantType = GRANT_TYPES.JWT_BEARER;
  readonly parameters = ['assertion', 'scope'] as const;
  readonly required = ['assertion'] as const;
  private readonly remoteSets = new Map<string, { url: string; set: KeySet }>();

  constructor(
    private readonly tokens: TokenService,
    private readonly keys: KeyRing,
    private readonly users: UserAuthenticationService,
    @Inject(REDIS) private readonly redis: RedisClient,
  ) {}

  async handle({ client, params }: GrantContext): Promise<TokenResponse> {
    const scope = resolveScope(client.scope, params.scope);
    const payload = await this.verify(client, requiredParam(params, 'assertion'));
    const now = Math.floor(Date.now() / 1000);
    const exp = payload.exp ?? now;
    if (exp - now > MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) {
      throw new InvalidGrant('Assertion lifetime is too long');
    }
    if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > 256) {
      throw new InvalidGrant('Assertion needs a jti');
    }
    const ttl = Math.max(1, exp - now + CLOCK_TOLERANCE_SECONDS);
    const fresh = await this.redis.set(
      `jwt-jti:${sha256Hex(`${client.clientId}\u0000${payload.jti}`)}`,
      '1',
      'EX',
      ttl,
      'NX',
    );
    if (fresh !== 'OK') throw new InvalidGrant('Assertion has already been used (jti replay)');

    if (payload.sub === client.clientId) {
      return this.tokens.issue({
        client,
        subject: client.clientId,
        scope,
        authorities: client.authorities,
        refresh: false,
      });
    }
    const user = typeof payload.sub === 'string' ? await this.users.findById(payload.sub) : null;
    if (!user) throw new InvalidGrant('Assertion subject is unknown');
    if (!mayAssertUser(client, user)) {
      throw new InvalidGrant('The client may assert only users of the contact centers it is bound to');
    }
    return this.tokens.issue({
      client,
      subject: user.id,
      scope,
      authorities: user.authorities,
      user,
      authTime: now,
      refresh: false,
    });
  }

  private async verify(client: RegisteredClient, assertion: string): Promise<JWTPayload> {
    const keySet = this.keySet(client);
    if (!keySet) throw new InvalidGrant('No assertion keys are registered for this client');
    const tokenEndpoint = `${this.keys.issuer}/oauth/token`;
    try {
      const { payload } = await jwtVerify(assertion, keySet, {
        algorithms: ALGORITHMS,
        issuer: client.clientId,
        audience: [tokenEndpoint, this.keys.issuer],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'sub'],
      });
      return payload;
    } catch (error) {
      throw new InvalidGrant(describe(error));
    }
  }

  private keySet(client: RegisteredClient): KeySet | null {
    if (client.jwks) return createLocalJWKSet(client.jwks as Parameters<typeof createLocalJWKSet>[0]);
    if (!client.jwksUri) return null;
    const cached = this.remoteSets.get(client.clientId);
    if (cached && cached.url === client.jwksUri) return cached.set;
    const set = createRemoteJWKSet(new URL(client.jwksUri), { timeoutDuration: 3_000, cooldownDuration: 30_000 });
    this.remoteSets.set(client.clientId, { url: client.jwksUri, set });
    return set;
  }
}

function describe(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'Assertion has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'Assertion audience is not this token endpoint';
    if (error.claim === 'iss') return 'Assertion issuer must be the client_id';
    if (error.claim === 'nbf') return 'Assertion is not yet valid';
    return `Assertion claim ${error.claim} is invalid`;
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'Assertion is signed with an unknown key';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'Assertion signature is invalid';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'Assertion algorithm is not allowed';
  return 'Assertion is invalid';
}

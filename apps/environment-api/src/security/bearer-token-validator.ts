import { Inject, Injectable } from '@nestjs/common';
import { DomainException, sha256Hex } from '@cxauth/domain';
import { APP_CONFIG, REDIS, RedisClient } from '@cxauth/platform';
import type { EnvironmentApiConfig } from '../environment-api.config';

/** What auth-api said about a token, as cached (never the token itself; the key is its sha256). */
export type TokenVerdict =
  | { valid: true; username: string; authorities: string[]; contactCenterId?: string }
  | { valid: false };

export const TOKEN_CACHE_KEY_PREFIX = 'envapi:bearer:';

/** `["ROLE_X"]`, `[{"name":"ROLE_X"}]` and `[{"authority":"ROLE_X"}]` all mean ROLE_X. */
export function authorityNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry): string[] => {
    if (typeof entry === 'string') return [entry];
    if (entry && typeof entry === 'object') {
      const named =
        (entry as { name?: unknown; authority?: unknown }).name ?? (entry as { authority?: unknown }).authority;
      if (typeof named === 'string') return [named];
    }
    return [];
  });
}

function jwtExpiryMs(token: string): number | undefined {
  if (token.split('.').length !== 3) return undefined;
  try {
    // Only to bound the cache lifetime; the token itself is verified by auth-api, not here.
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Bearer tokens are validated by auth-api (`GET /auth/v3/userinfo`), and the answer is cached in Redis
 * under sha256(token): valid answers for TOKEN_CACHE_TTL_MS (never past the token's `exp` when the
 * token or the answer tells it), refusals for TOKEN_NEGATIVE_CACHE_TTL_MS. auth-api unreachable → 503.
 */
@Injectable()
export class BearerTokenValidator {
  constructor(
    @Inject(APP_CONFIG) private readonly config: EnvironmentApiConfig,
    @Inject(REDIS) private readonly redis: RedisClient,
  ) {}

  async validate(token: string): Promise<TokenVerdict> {
    const key = TOKEN_CACHE_KEY_PREFIX + sha256Hex(token);
    const cached = await this.redis.get(key).catch(() => null);
    if (cached) {
      try {
        return JSON.parse(cached) as TokenVerdict;
      } catch {
        // fall through to auth-api
      }
    }
    const { verdict, expiresAtMs } = await this.askAuthApi(token);
    const now = Date.now();
    let ttl = verdict.valid ? this.config.TOKEN_CACHE_TTL_MS : this.config.TOKEN_NEGATIVE_CACHE_TTL_MS;
    const expiry = expiresAtMs ?? jwtExpiryMs(token);
    if (verdict.valid && expiry !== undefined) ttl = Math.min(ttl, expiry - now);
    if (ttl >= 1) await this.redis.set(key, JSON.stringify(verdict), 'PX', Math.floor(ttl)).catch(() => undefined);
    return verdict;
  }

  private async askAuthApi(token: string): Promise<{ verdict: TokenVerdict; expiresAtMs?: number }> {
    const url = new URL('/auth/v3/userinfo', this.config.AUTH_API_URL);
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(this.config.AUTH_API_TIMEOUT_MS),
      });
    } catch {
      throw new DomainException('SERVICE_UNAVAILABLE', 'The token service (auth-api) is unreachable; try again');
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      return { verdict: { valid: false } };
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new DomainException('SERVICE_UNAVAILABLE', `The token service (auth-api) answered ${response.status}`);
    }
    const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    const username = body?.username ?? body?.user_name ?? body?.sub;
    if (!body || typeof username !== 'string') {
      throw new DomainException('SERVICE_UNAVAILABLE', 'The token service (auth-api) gave an unreadable answer');
    }
    const contactCenterId = typeof body.contactCenterId === 'string' ? body.contactCenterId : undefined;
    const exp = typeof body.exp === 'number' ? body.exp * 1000 : undefined;
    return {
      verdict: { valid: true, username, authorities: authorityNames(body.authorities), contactCenterId },
      expiresAtMs: exp,
    };
  }
}

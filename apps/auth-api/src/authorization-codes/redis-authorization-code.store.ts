import { Inject, Injectable } from '@nestjs/common';
import {
  AUTHORIZATION_CODE_TTL_SECONDS,
  type AuthorizationCodeRecord,
  type AuthorizationCodeStore,
  sha256Hex,
  type ReplayedAuthorizationCode,
  type StoredAuthorizationCode,
} from '@cxauth/domain';
import { randomToken, REDIS, RedisClient } from '@cxauth/platform';

/** Redis keeps a code a little longer than its validity so an expired code is reported as such. */
const GRACE_SECONDS = 30;
/** How long a redeemed code is remembered, so a replay can revoke what the first redemption issued. */
const REPLAY_MEMORY_SECONDS = 24 * 3600;

/** Atomically: take the code (GETDEL) and leave a "used" marker; or report that it was used before. */
const CONSUME_SCRIPT = `
local value = redis.call('GETDEL', KEYS[1])
if value then
  redis.call('SET', KEYS[2], '', 'EX', ARGV[1])
  return {1, value}
end
local used = redis.call('GET', KEYS[2])
if used then return {2, used} end
return {0, ''}
`;

/**
 * Authorization codes in Redis under `ac:{sha256(code)}` (never the code itself): 60 s, single use.
 * A second redemption finds the `…:used` marker, which holds the refresh-token family the first one
 * issued (`recordRedemption`), so the token endpoint can revoke it.
 */
@Injectable()
export class RedisAuthorizationCodeStore implements AuthorizationCodeStore {
  constructor(@Inject(REDIS) private readonly redis: RedisClient) {}

  async issue(record: AuthorizationCodeRecord): Promise<string> {
    const code = randomToken();
    const stored: StoredAuthorizationCode = {
      record,
      expiresAt: Math.floor(Date.now() / 1000) + AUTHORIZATION_CODE_TTL_SECONDS,
    };
    await this.redis.set(codeKey(code), JSON.stringify(stored), 'EX', AUTHORIZATION_CODE_TTL_SECONDS + GRACE_SECONDS);
    return code;
  }

  /** Reads a code without using it up (the grant checks expiry, PKCE and redirect_uri before consuming). */
  async peek(code: string): Promise<StoredAuthorizationCode | ReplayedAuthorizationCode | null> {
    const [value, used] = await Promise.all([this.redis.get(codeKey(code)), this.redis.get(usedKey(code))]);
    if (value) return JSON.parse(value) as StoredAuthorizationCode;
    if (used !== null) return { replayed: true, familyId: used || undefined };
    return null;
  }

  async consume(code: string): Promise<{ record: AuthorizationCodeRecord } | ReplayedAuthorizationCode | null> {
    const [kind, value] = (await this.redis.eval(
      CONSUME_SCRIPT,
      2,
      codeKey(code),
      usedKey(code),
      String(REPLAY_MEMORY_SECONDS),
    )) as [number, string];
    if (kind === 1) return { record: (JSON.parse(value) as StoredAuthorizationCode).record };
    if (kind === 2) return { replayed: true, familyId: value || undefined };
    return null;
  }

  async recordRedemption(code: string, familyId: string): Promise<void> {
    await this.redis.set(usedKey(code), familyId, 'EX', REPLAY_MEMORY_SECONDS);
  }
}

/** The hash tag keeps a code's two keys in one Redis Cluster slot (the script touches both). */
function codeKey(code: string): string {
  return `ac:{${sha256Hex(code)}}`;
}

function usedKey(code: string): string {
  return `ac:{${sha256Hex(code)}}:used`;
}

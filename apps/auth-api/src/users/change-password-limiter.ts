import { Inject, Injectable } from '@nestjs/common';
import { REDIS, type RedisClient } from '@cxauth/platform';
import { sha256Hex } from '@cxauth/domain';

/** Wrong old passwords allowed per user within the window before change-password answers 429. */
export const CHANGE_PASSWORD_MAX_FAILURES = 5;
export const CHANGE_PASSWORD_FAILURE_WINDOW_SECONDS = 15 * 60;

/**
 * Counts wrong old passwords per user in Redis (`pwchange:fail:{sha256(user id)}`, expiring with the
 * window), so a stolen token cannot be used to guess the password at full speed. Shared by every
 * replica; losing Redis only resets the counts.
 */
@Injectable()
export class ChangePasswordLimiter {
  constructor(@Inject(REDIS) private readonly redis: RedisClient) {}

  async isBlocked(userId: string): Promise<boolean> {
    const count = Number((await this.redis.get(this.key(userId))) ?? 0);
    return count >= CHANGE_PASSWORD_MAX_FAILURES;
  }

  async recordFailure(userId: string): Promise<void> {
    const key = this.key(userId);
    const count = await this.redis.incr(key);
    if (count === 1) await this.redis.expire(key, CHANGE_PASSWORD_FAILURE_WINDOW_SECONDS);
  }

  async reset(userId: string): Promise<void> {
    await this.redis.del(this.key(userId));
  }

  key(userId: string): string {
    return `pwchange:fail:${sha256Hex(userId)}`;
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Counter } from 'prom-client';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type IRateLimiterStoreOptions,
} from 'rate-limiter-flexible';
import {
  AccountTurns,
  AUDIT_LOG,
  type AuditLog,
  failureDelayMs,
  failuresBeforeLockout,
  type LockoutStatus,
  type LoginThrottle,
  type LoginThrottlePolicy,
  permanentLockoutApplies,
  sha256Hex,
  type ThrottleSubject,
  TooManyFailedAttempts,
} from '@cxauth/domain';
import { APP_CONFIG } from '../config/config.module';
import type { LoginThrottleConfig, RedisConfig } from '../config/config.schema';
import { ServiceMetrics } from '../metrics/metrics';
import { REDIS } from '../redis/redis.module';
import type { RedisClient } from '../redis/create-redis-client';

export function loginThrottlePolicy(config: LoginThrottleConfig): LoginThrottlePolicy {
  return {
    freeFailures: config.LOGIN_THROTTLE_FREE_FAILURES,
    delayBaseMs: config.LOGIN_THROTTLE_DELAY_MS,
    maxDelayMs: config.LOGIN_THROTTLE_MAX_DELAY_MS,
    lockoutFailures: config.LOGIN_LOCKOUT_FAILURES,
    failureWindowSeconds: config.LOGIN_FAILURE_WINDOW_SECONDS,
    lockoutSeconds: config.LOGIN_LOCKOUT_SECONDS,
    sourceMaxFailures: config.LOGIN_SOURCE_MAX_FAILURES,
    permanentLockoutFailures: config.LOGIN_PERMANENT_LOCKOUT_FAILURES,
  };
}

type Scope = 'account' | 'source' | 'permanent';

const STALE_READ_RETRIES = 8;

interface Counted {
  scope: Scope;
  limiter: RateLimiterAbstract;
  /** Failures allowed before the next one locks (rate-limiter-flexible refuses when consumed > points). */
  points: number;
}

/**
 * The LoginThrottle port on rate-limiter-flexible: Redis counters shared by every replica (keys
 * `throttle:<scope>:<sha256 of the account or IP>`, so no user name or address is stored in clear),
 * in-memory counters only in the embedded local run (REDIS_URL=memory://). A check is one read per
 * counter; only failures write. Checks of one account run at most as many at once as it has failures
 * left before the lockout (AccountTurns), so a parallel burst on one replica stops at the lockout.
 * When Redis cannot answer, checks let the attempt through (a Redis blip must not stop sign-ins) and
 * the error is logged.
 */
@Injectable()
export class RateLimiterLoginThrottle implements LoginThrottle {
  private readonly logger = new Logger('LoginThrottle');
  private readonly policy: LoginThrottlePolicy;
  private readonly account?: Counted;
  private readonly source?: Counted;
  private readonly permanent?: Counted;
  private readonly failures: Counter<'credential'>;
  private readonly lockouts: Counter<'credential' | 'scope'>;
  private readonly refused: Counter<'credential'>;
  private readonly turns = new AccountTurns();

  constructor(
    @Inject(APP_CONFIG) config: LoginThrottleConfig & Pick<RedisConfig, 'REDIS_URL'>,
    @Inject(REDIS) redis: RedisClient,
    metrics: ServiceMetrics,
    @Optional() @Inject(AUDIT_LOG) private readonly audit?: AuditLog,
  ) {
    const policy = loginThrottlePolicy(config);
    this.policy = policy;
    const inMemory = config.REDIS_URL.startsWith('memory:');
    const counter = (scope: Scope, failures: number, duration: number, blockDuration: number): Counted => {
      const options: IRateLimiterStoreOptions = {
        storeClient: redis,
        keyPrefix: `throttle:${scope}`,
        points: failures - 1,
        duration,
        blockDuration,
      };
      const limiter = inMemory ? new RateLimiterMemory(options) : new RateLimiterRedis(options);
      return { scope, limiter, points: failures - 1 };
    };
    if (policy.lockoutFailures > 0)
      this.account = counter('account', policy.lockoutFailures, policy.failureWindowSeconds, policy.lockoutSeconds);
    else if (policy.delayBaseMs > 0)
      // No lockout, but the progressive delay still needs the account's count.
      this.account = counter('account', Number.MAX_SAFE_INTEGER, policy.failureWindowSeconds, 0);
    if (policy.sourceMaxFailures > 0)
      this.source = counter('source', policy.sourceMaxFailures, policy.failureWindowSeconds, policy.lockoutSeconds);
    // Duration 0: counted until a success or an unlock resets it.
    if (policy.permanentLockoutFailures > 0)
      this.permanent = counter('permanent', policy.permanentLockoutFailures, 0, 0);

    this.failures = new Counter({
      name: 'auth_failed_attempts_total',
      help: 'Failed password or client-secret checks, by credential (ops, user, client)',
      labelNames: ['credential'],
      registers: [metrics.registry],
    });
    this.lockouts = new Counter({
      name: 'auth_lockouts_total',
      help: 'Lockouts started, by credential and scope (account, source, permanent)',
      labelNames: ['credential', 'scope'],
      registers: [metrics.registry],
    });
    this.refused = new Counter({
      name: 'auth_throttled_attempts_total',
      help: 'Attempts refused unchecked because the account or source was locked, by credential',
      labelNames: ['credential'],
      registers: [metrics.registry],
    });
  }

  async attempt<T>(subject: ThrottleSubject, verify: () => Promise<T | null>): Promise<T | null> {
    let staleReads = 0;
    for (;;) {
      const readAt = this.turns.generation;
      const failures = await this.check(subject);
      // A read that raced a check's end may have missed its failure: read again (a few times only, so a
      // busy replica cannot starve the attempt). No await between this test and take(): one tick.
      if (readAt !== this.turns.generation && staleReads++ < STALE_READ_RETRIES) continue;
      const release = await this.turns.take(subject.account, failuresBeforeLockout(this.policy, failures));
      if (!release) continue;
      try {
        const result = await verify();
        if (result === null) await this.recordFailure(subject);
        else if (failures > 0) await this.reset(subject.account);
        return result;
      } finally {
        release();
      }
    }
  }

  /** Throws TooManyFailedAttempts when the account or the source is locked; else the account's failures so far. */
  private async check(subject: ThrottleSubject): Promise<number> {
    const [account, source, permanent] = await Promise.all([
      this.read(this.account, subject.account),
      this.read(this.source, subject.source),
      permanentLockoutApplies(this.policy, subject) ? this.read(this.permanent, subject.account) : null,
    ]);
    if (permanent && this.permanent && permanent.consumedPoints > this.permanent.points) {
      this.refused.inc({ credential: subject.credential });
      throw new TooManyFailedAttempts(subject.credential, null);
    }
    const waits = [this.lockedMs(this.account, account), this.lockedMs(this.source, source)].filter(
      (ms): ms is number => ms !== null,
    );
    if (waits.length > 0) {
      this.refused.inc({ credential: subject.credential });
      throw new TooManyFailedAttempts(subject.credential, Math.max(1, Math.ceil(Math.max(...waits) / 1000)));
    }
    return account?.consumedPoints ?? 0;
  }

  /** Counts a failure and holds the caller for the progressive delay. */
  private async recordFailure(subject: ThrottleSubject): Promise<void> {
    this.failures.inc({ credential: subject.credential });
    const [accountFailures] = await Promise.all([
      this.consume(subject, this.account, subject.account),
      this.consume(subject, this.source, subject.source),
      permanentLockoutApplies(this.policy, subject)
        ? this.consume(subject, this.permanent, subject.account)
        : Promise.resolve(0),
    ]);
    const delay = failureDelayMs(this.policy, accountFailures);
    if (delay > 0) await sleep(delay);
  }

  async reset(account: string): Promise<void> {
    const key = sha256Hex(account);
    await Promise.all([this.account?.limiter.delete(key), this.permanent?.limiter.delete(key)]);
  }

  async resetSource(source: string): Promise<void> {
    await this.source?.limiter.delete(sha256Hex(source));
  }

  async status(account: string): Promise<LockoutStatus> {
    const key = sha256Hex(account);
    const [current, permanent] = await Promise.all([this.account?.limiter.get(key), this.permanent?.limiter.get(key)]);
    const lockedMs = this.lockedMs(this.account, current ?? null);
    return {
      failures: current?.consumedPoints ?? 0,
      lockedForSeconds: lockedMs === null ? null : Math.max(1, Math.ceil(lockedMs / 1000)),
      permanentlyLocked: Boolean(permanent && this.permanent && permanent.consumedPoints > this.permanent.points),
    };
  }

  private async read(counted: Counted | undefined, id: string | undefined): Promise<RateLimiterRes | null> {
    if (!counted || id === undefined) return null;
    try {
      return await counted.limiter.get(sha256Hex(id));
    } catch (error) {
      this.logger.warn(`throttle state unavailable, attempt let through: ${(error as Error).message}`);
      return null;
    }
  }

  private lockedMs(counted: Counted | undefined, state: RateLimiterRes | null): number | null {
    if (!counted || !state || state.consumedPoints <= counted.points) return null;
    return state.msBeforeNext;
  }

  /** Counts one failure; the count after it (0 when not counted). */
  private async consume(
    subject: ThrottleSubject,
    counted: Counted | undefined,
    id: string | undefined,
  ): Promise<number> {
    if (!counted || id === undefined) return 0;
    try {
      return (await counted.limiter.consume(sha256Hex(id))).consumedPoints;
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) {
        // The failure that crosses the limit starts the lockout; later ones (racing it) only add.
        if (outcome.consumedPoints === counted.points + 1) {
          this.lockouts.inc({ credential: subject.credential, scope: counted.scope });
          await this.audit?.record({
            type: 'lockout',
            outcome: 'success',
            actor: counted.scope === 'source' ? null : subject.account,
            sourceIp: subject.source ?? null,
            requestId: subject.requestId ?? null,
            detail: { credential: subject.credential, scope: counted.scope },
          });
        }
        return outcome.consumedPoints;
      }
      this.logger.warn(`throttle state unavailable, failure not counted: ${(outcome as Error).message}`);
      return 0;
    }
  }
}

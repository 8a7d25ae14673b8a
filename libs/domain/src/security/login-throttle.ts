import { DomainException } from '../errors/domain.exception';

/**
 * Brute-force protection (what Keycloak's brute-force detection does): every failed password or
 * client-secret check counts against the account named in the request and against the source IP.
 * A few failures are free; after that each failure answers later (doubling up to a cap); after
 * `lockoutFailures` failures within the window the account is locked for `lockoutSeconds`, and the
 * source IP likewise after `sourceMaxFailures`. With `permanentLockoutFailures` > 0 an account that
 * fails that many times (counted until an operator unlocks it) stays locked until unlocked.
 * Successes are not counted, so the hot path writes nothing.
 */
export interface LoginThrottlePolicy {
  /** Failures that answer without delay. */
  freeFailures: number;
  /** Delay after the first failure past `freeFailures`; doubles with each further failure. */
  delayBaseMs: number;
  maxDelayMs: number;
  /** Failures of one account within the window that lock it (0: never). */
  lockoutFailures: number;
  failureWindowSeconds: number;
  lockoutSeconds: number;
  /** Failures from one source IP within the window that lock that source (0: never). */
  sourceMaxFailures: number;
  /** Failures of one account that lock it until an operator unlocks it (0: never). */
  permanentLockoutFailures: number;
}

/** What is throttled: the ops credential, a user's password, or a client secret. */
export type ThrottledCredential = 'ops' | 'user' | 'client';

export interface ThrottleSubject {
  credential: ThrottledCredential;
  /** The account as the request named it (see the *AccountKey helpers), whether or not it exists. */
  account: string;
  /** The caller's IP address; without one (no network caller) only the account is counted. */
  source?: string;
  /** The request's id, carried into the lockout's audit event. */
  requestId?: string;
}

/** `tenant\user` as typed (case-insensitive, as user names are looked up). */
export function userAccountKey(tenant: string | null, username: string): string {
  return `user:${(tenant ?? '').toLowerCase()}\\${username.toLowerCase()}`;
}

export function clientAccountKey(clientId: string): string {
  return `client:${clientId}`;
}

/** The ops user shares the key of its password-grant name (no tenant), so both paths count together. */
export function opsAccountKey(username: string): string {
  return userAccountKey(null, username);
}

/** How long to hold the answer to the `failures`-th failure (1-based). */
export function failureDelayMs(policy: LoginThrottlePolicy, failures: number): number {
  const excess = failures - policy.freeFailures;
  if (excess <= 0 || policy.delayBaseMs === 0) return 0;
  return Math.min(policy.maxDelayMs, policy.delayBaseMs * 2 ** Math.min(excess - 1, 30));
}

/**
 * The ops user is the only way to unlock others, so it is never locked permanently (its temporary
 * lockout and the per-source limit still apply).
 */
export function permanentLockoutApplies(policy: LoginThrottlePolicy, subject: ThrottleSubject): boolean {
  return policy.permanentLockoutFailures > 0 && subject.credential !== 'ops';
}

/**
 * The account or source is locked. The same answer whether or not the account exists: the counters
 * are keyed by the name the request gave. `retryAfterSeconds` is null for a permanent lockout.
 */
export class TooManyFailedAttempts extends DomainException {
  constructor(
    public readonly credential: ThrottledCredential,
    public readonly retryAfterSeconds: number | null,
  ) {
    super(
      'TOO_MANY_REQUESTS',
      retryAfterSeconds === null
        ? 'Too many failed attempts: locked until an operator unlocks it'
        : 'Too many failed attempts: try again later',
    );
    this.name = 'TooManyFailedAttempts';
  }
}

export interface LockoutStatus {
  /** Failures counted in the current window. */
  failures: number;
  /** Seconds until the temporary lockout ends, or null when not temporarily locked. */
  lockedForSeconds: number | null;
  permanentlyLocked: boolean;
}

/** Port: the failure counters (Redis in production, memory in the embedded local run). */
export interface LoginThrottle {
  /**
   * One throttled credential check: refused unchecked while the account or the source is locked
   * (TooManyFailedAttempts), a failure (`verify` answers null) is counted and held for the
   * progressive delay, and a success that follows failures clears the account's counters (a success
   * alone writes nothing).
   */
  attempt<T>(subject: ThrottleSubject, verify: () => Promise<T | null>): Promise<T | null>;
  /** Forgets the account's failures (an operator's unlock). */
  reset(account: string): Promise<void>;
  resetSource(source: string): Promise<void>;
  status(account: string): Promise<LockoutStatus>;
}

export const LOGIN_THROTTLE = Symbol('LOGIN_THROTTLE');

/** Failures the account may still have before the one that locks it (Infinity without a lockout). */
export function failuresBeforeLockout(policy: LoginThrottlePolicy, failures: number): number {
  return policy.lockoutFailures > 0 ? Math.max(0, policy.lockoutFailures - failures) : Infinity;
}

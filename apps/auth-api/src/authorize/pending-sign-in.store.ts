import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, REDIS, RedisClient } from '@cxauth/platform';
import type { SessionConfig } from '../session/session.config';
import { FLOW_COOKIE, FLOW_COOKIE_PATH, readCookie, setCookie } from '../session/session-cookies';
import { constantTimeEquals, sha256Hex, type AuthorizationRequest, type PasswordRule } from '@cxauth/domain';

/** A validated authorization request waiting for the user to sign in (RFC 6749 §4.1.1 / §4.2.1). */
/**
 * What the page is for: continuing an authorization, a plain sign-in, a password change, or showing
 * the browser's own session (signed-in.html; auth-ui cannot see the session cookie, auth-api can).
 */
export type SignInPurpose = 'authorize' | 'sign-in' | 'change-password' | 'signed-in';

/** The server side of a sign-in page: the browser only ever holds an opaque reference to it. */
export interface PendingSignIn {
  purpose: SignInPurpose;
  authorization?: AuthorizationRequest;
  /** Echoed by the form; compared in constant time. */
  csrfToken: string;
  /** sha256 of the flow cookie of the browser that started it. */
  binding: string;
  hideTenant: boolean;
  locale?: string;
  clientName?: string;
  /** The tenant (login domain) the application named (authorize `tenant` / `login_hint`): not asked for. */
  tenant?: string;
  /** The tenant typed in the last failed attempt: pre-filled, still editable. */
  typedTenant?: string;
  /** The user name of the last failed attempt (pre-filled; the password never is); the signed-in user's name. */
  username?: string;
  /** The signed-in user's full name (signed-in). */
  displayName?: string;
  /** The password rules the last new password broke (change-password). */
  brokenPasswordRules?: PasswordRule[];
  failures: number;
  /** Epoch seconds. */
  expiresAt: number;
}

export const pendingSignInKey = (reference: string) => `sign-in:pending:${sha256Hex(reference)}`;
export type NewPendingSignIn = Omit<PendingSignIn, 'csrfToken' | 'binding' | 'failures' | 'expiresAt'>;

/** Pending sign-ins in Redis under a hash of their reference, bound to the browser by a cookie. */
@Injectable()
export class PendingSignInStore {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: SessionConfig,
  ) {}

  /** Stores the pending sign-in and returns its reference (sets the flow cookie when missing). */
  async create(request: FastifyRequest, reply: FastifyReply, data: NewPendingSignIn): Promise<string> {
    const ttl = this.config.SIGN_IN_REQUEST_TIMEOUT_SECONDS;
    let flow = readCookie(request, FLOW_COOKIE);
    if (!flow) flow = randomBytes(32).toString('base64url');
    // Always re-set, so the cookie lives as long as the newest pending sign-in.
    setCookie(request, reply, FLOW_COOKIE, flow, ttl, FLOW_COOKIE_PATH);
    const reference = randomBytes(32).toString('base64url');
    const pending: PendingSignIn = {
      ...data,
      csrfToken: randomBytes(32).toString('base64url'),
      binding: sha256Hex(flow),
      failures: 0,
      expiresAt: Math.floor(Date.now() / 1000) + ttl,
    };
    await this.redis.set(pendingSignInKey(reference), JSON.stringify(pending), 'EX', ttl);
    return reference;
  }

  async find(reference: unknown): Promise<PendingSignIn | null> {
    if (!isReference(reference)) return null;
    const raw = await this.redis.get(pendingSignInKey(reference));
    return raw ? (JSON.parse(raw) as PendingSignIn) : null;
  }

  /**
   * True when the form came from the browser that started this sign-in, echoes its CSRF token, and is
   * not a cross-site post.
   */
  isAuthentic(request: FastifyRequest, pending: PendingSignIn, csrfToken: unknown): boolean {
    if (!sameOrigin(request)) return false;
    const bindingOk = this.isSameBrowser(request, pending);
    const tokenOk = constantTimeEquals(typeof csrfToken === 'string' ? csrfToken : '', pending.csrfToken);
    return bindingOk && tokenOk;
  }

  /** True when the request carries the flow cookie of the browser that started this sign-in. */
  isSameBrowser(request: FastifyRequest, pending: PendingSignIn): boolean {
    const flow = readCookie(request, FLOW_COOKIE);
    return constantTimeEquals(flow ? sha256Hex(flow) : '', pending.binding);
  }

  /**
   * Counts a failed attempt on this page (shown to the user). The limit on guessing is the account's
   * and the source's (LoginThrottle), which a new page does not reset.
   */
  async recordFailure(reference: string, pending: PendingSignIn): Promise<void> {
    pending.failures += 1;
    await this.update(reference, pending);
  }

  /** Saves changes (failure count, pre-filled user name) without extending the lifetime. */
  async update(reference: string, pending: PendingSignIn): Promise<void> {
    const ttl = pending.expiresAt - Math.floor(Date.now() / 1000);
    if (ttl <= 0) return this.remove(reference);
    // XX: never bring back a request that a concurrent successful sign-in has just consumed.
    await this.redis.set(pendingSignInKey(reference), JSON.stringify(pending), 'EX', ttl, 'XX');
  }

  /** Single use: the first caller gets it, later callers get null. */
  async take(reference: string): Promise<PendingSignIn | null> {
    const raw = await this.redis.getdel(pendingSignInKey(reference));
    return raw ? (JSON.parse(raw) as PendingSignIn) : null;
  }

  async remove(reference: string): Promise<void> {
    await this.redis.del(pendingSignInKey(reference));
  }
}

export function isReference(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

/**
 * Defence in depth beside the CSRF token and the browser-binding cookie: a browser that says the post
 * is cross-site (Sec-Fetch-Site) or names a foreign Origin is refused. `Origin: null` (what browsers
 * send under `Referrer-Policy: no-referrer`, which every answer carries) and no Origin at all are left to
 * the token and the SameSite cookie.
 */
function sameOrigin(request: FastifyRequest): boolean {
  if (request.headers['sec-fetch-site'] === 'cross-site') return false;
  const origin = request.headers.origin;
  if (origin === undefined || origin === 'null') return true;
  try {
    return new URL(origin).host === request.host;
  } catch {
    return false;
  }
}

import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type DirectoryUser, sha256Hex } from '@cxauth/domain';
import { APP_CONFIG, REDIS, RedisClient } from '@cxauth/platform';
import type { SessionConfig } from './session.config';
import { clearCookie, readCookie, SESSION_COOKIE, setCookie } from './session-cookies';

/** What Redis keeps for a browser session (keyed by a hash of the cookie value, never the value). */
export interface BrowserSession {
  /** sha256 of the cookie value; safe to log and to store beside authorization codes. */
  id: string;
  user: DirectoryUser;
  /** Epoch seconds. */
  authTime: number;
  /** Epoch seconds; the session never outlives this. */
  absoluteExpiresAt: number;
  /** Epoch seconds of the last use. */
  lastSeenAt: number;
  /** Clients this session authorized (codes or implicit tokens): where sign-out may send the browser back. */
  clients?: string[];
  /** The SAML sign-in this session came from, for single logout (identifiers only, no assertion). */
  saml?: SamlSignIn;
  /** The OpenID Connect sign-in this session came from, for RP-initiated logout at the IdP. */
  oidc?: OidcSignIn;
}

/** Who an OpenID Connect IdP signed in: what its end-session endpoint needs to end its own session. */
export interface OidcSignIn {
  contactCenterId: string;
  /** The IdP's id_token (the logout's `id_token_hint`), sealed with the SecretBox: never in clear in Redis. */
  sealedIdToken: string;
}

/** The IdP sign-in a session comes from (single sign-on), if any. */
export interface IdpSignIn {
  saml?: SamlSignIn;
  oidc?: OidcSignIn;
}

/** Who a SAML IdP said signed in, as its LogoutRequests name them. */
export interface SamlSignIn {
  contactCenterId: string;
  nameId: string;
  nameIdFormat?: string;
  sessionIndex?: string;
}

export const sessionKey = (id: string) => `session:${id}`;
export const userSessionsKey = (userId: string) => `session-user:${sha256Hex(userId)}`;
/** The sessions of one SAML NameID at one contact center's IdP (IdP-initiated single logout finds them here). */
export const samlSessionsKey = (contactCenterId: string, nameId: string) =>
  `session-saml:${sha256Hex(`${contactCenterId}\n${nameId}`)}`;

/**
 * Browser sessions in Redis: created at sign-in (a fresh id every time), touched by /ping and
 * /oauth/authorize (idle timeout), hard-capped by the absolute timeout, ended by sign-out.
 */
@Injectable()
export class SessionService {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: SessionConfig,
  ) {}

  /** Starts a session for `user`, ending the one the browser had (session id rotation). */
  async start(
    request: FastifyRequest,
    reply: FastifyReply,
    user: DirectoryUser,
    idp: IdpSignIn = {},
  ): Promise<BrowserSession> {
    const { saml, oidc } = idp;
    await this.end(request, reply);
    const value = randomBytes(32).toString('base64url');
    const now = nowSeconds();
    const session: BrowserSession = {
      id: sha256Hex(value),
      user,
      authTime: now,
      absoluteExpiresAt: now + this.config.SESSION_ABSOLUTE_TIMEOUT_SECONDS,
      lastSeenAt: now,
      ...(saml && { saml }),
      ...(oidc && { oidc }),
    };
    const ttl = this.ttlOf(session, now);
    const absolute = this.config.SESSION_ABSOLUTE_TIMEOUT_SECONDS;
    const write = this.redis
      .multi()
      .set(sessionKey(session.id), JSON.stringify(session), 'EX', ttl)
      .sadd(userSessionsKey(user.id), session.id)
      .expire(userSessionsKey(user.id), absolute);
    if (saml)
      write
        .sadd(samlSessionsKey(saml.contactCenterId, saml.nameId), session.id)
        .expire(samlSessionsKey(saml.contactCenterId, saml.nameId), absolute);
    await write.exec();
    setCookie(request, reply, SESSION_COOKIE, value, this.config.SESSION_ABSOLUTE_TIMEOUT_SECONDS);
    return session;
  }

  /** The live session of this request, if any; `touch` extends its idle timeout. */
  async current(request: FastifyRequest, touch = true): Promise<BrowserSession | null> {
    const value = readCookie(request, SESSION_COOKIE);
    if (!value) return null;
    const id = sha256Hex(value);
    const raw = await this.redis.get(sessionKey(id));
    if (!raw) return null;
    const session = JSON.parse(raw) as BrowserSession;
    const now = nowSeconds();
    if (session.absoluteExpiresAt <= now || session.lastSeenAt + this.config.SESSION_IDLE_TIMEOUT_SECONDS <= now) {
      await this.redis.del(sessionKey(id));
      return null;
    }
    if (touch) {
      session.lastSeenAt = now;
      await this.redis.set(sessionKey(id), JSON.stringify(session), 'EX', this.ttlOf(session, now));
    }
    return session;
  }

  /** Notes that the session authorized a client (XX: a session ended meanwhile stays ended). */
  async addClient(session: BrowserSession, clientId: string): Promise<void> {
    if (session.clients?.includes(clientId)) return;
    const updated: BrowserSession = { ...session, clients: [...(session.clients ?? []), clientId] };
    const ttl = this.ttlOf(updated, nowSeconds());
    await this.redis.set(sessionKey(session.id), JSON.stringify(updated), 'EX', ttl, 'XX');
  }

  /** Whether the session with this id (sha256 of the cookie value) still exists. */
  async isLive(id: string): Promise<boolean> {
    return (await this.redis.exists(sessionKey(id))) === 1;
  }

  /** Ends the browser's session (if any) and clears the cookie. Returns the ended session's user. */
  async end(request: FastifyRequest, reply: FastifyReply): Promise<DirectoryUser | null> {
    const value = readCookie(request, SESSION_COOKIE);
    if (!value) return null;
    clearCookie(request, reply, SESSION_COOKIE);
    const id = sha256Hex(value);
    const raw = await this.redis.get(sessionKey(id));
    await this.redis.del(sessionKey(id));
    if (!raw) return null;
    const session = JSON.parse(raw) as BrowserSession;
    await this.redis.srem(userSessionsKey(session.user.id), id);
    return session.user;
  }

  /**
   * Ends the sessions an IdP's LogoutRequest names: those of `nameId` signed in through that contact
   * center's IdP, and only those of `sessionIndex` when it names one. Returns the ended sessions' users.
   */
  async endSamlSessions(contactCenterId: string, nameId: string, sessionIndex?: string): Promise<DirectoryUser[]> {
    const key = samlSessionsKey(contactCenterId, nameId);
    const ended: DirectoryUser[] = [];
    for (const id of await this.redis.smembers(key)) {
      const raw = await this.redis.get(sessionKey(id));
      const session = raw ? (JSON.parse(raw) as BrowserSession) : null;
      if (session && sessionIndex && session.saml?.sessionIndex !== sessionIndex) continue;
      await this.redis.srem(key, id);
      if (!session) continue;
      await this.redis.del(sessionKey(id));
      await this.redis.srem(userSessionsKey(session.user.id), id);
      ended.push(session.user);
    }
    return ended;
  }

  /** Ends every browser session of a user (global sign-out, password change). */
  async endAllForUser(userId: string): Promise<number> {
    const ids = await this.redis.smembers(userSessionsKey(userId));
    if (ids.length === 0) return 0;
    await this.redis.del(...ids.map(sessionKey), userSessionsKey(userId));
    return ids.length;
  }

  private ttlOf(session: BrowserSession, now: number): number {
    return Math.max(1, Math.min(this.config.SESSION_IDLE_TIMEOUT_SECONDS, session.absoluteExpiresAt - now));
  }
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

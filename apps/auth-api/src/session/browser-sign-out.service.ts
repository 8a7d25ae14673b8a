import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainException } from '@cxauth/domain';
import { ClientRegistry } from '../clients/client-registry.service';
import { KeyRing } from '../signing-keys/key-ring.service';
import { type BrowserSession, SessionService } from './session.service';

/** Where a browser asked to go after sign-out, and who vouches for it. */
export interface SignOutTarget {
  /** `post_logout_redirect_uri` (OpenID Connect) or the product's `redirectUri`. */
  redirectUri?: string;
  /** `client_id`, or the `azp` of a verified `id_token_hint`. */
  clientId?: string;
  /** True when an id token we issued to `clientId` names the client. */
  hinted: boolean;
  state?: string;
}

/** A verified `id_token_hint`: who it names, and what revocation checks need. */
export interface IdTokenHint {
  clientId: string;
  subject: string;
  iat?: number;
  jti?: string;
}

export const SIGNED_OUT_PAGE = '/ui/auth/signed-out.html';

/**
 * The browser half of GET /auth/v3/sign-out (the sign-out controller calls it; it owns the route):
 * ends the session cookie's session and says where the browser may go — `redirectUri` only when it is
 * registered, exactly, for the client (`clientId`: the Bearer token's client or the `client_id`
 * parameter); otherwise the signed-out page. Never an open redirect.
 */
@Injectable()
export class BrowserSignOut {
  constructor(
    private readonly sessions: SessionService,
    private readonly clients: ClientRegistry,
    private readonly keys: KeyRing,
  ) {}

  /**
   * The client and user an `id_token_hint` names (OpenID Connect RP-Initiated Logout): an id token we
   * signed, still within its lifetime, with its `iat` and `jti` (whether it was revoked is the caller's
   * question). Null when absent; VALIDATION_FAILED when it is not ours.
   */
  async verifyIdTokenHint(hint: unknown): Promise<IdTokenHint | null> {
    if (hint === undefined) return null;
    try {
      if (typeof hint !== 'string' || hint.length > 8192) throw new Error('malformed');
      const payload = await this.keys.verify(hint, { typ: 'JWT', requiredClaims: ['sub', 'azp'] });
      if (typeof payload.azp !== 'string' || typeof payload.sub !== 'string') throw new Error('claims');
      return { clientId: payload.azp, subject: payload.sub, iat: payload.iat, jti: payload.jti };
    } catch {
      throw new DomainException('VALIDATION_FAILED', 'id_token_hint: not a valid id token issued here');
    }
  }

  /** True when the request carries a session cookie (live or not). */
  hasSessionCookie(request: FastifyRequest): boolean {
    return /(?:^|;\s*)cxauth_session=/.test(request.headers.cookie ?? '');
  }

  /** Ends the browser session (if any) and clears its cookie. */
  async endSession(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    await this.sessions.end(request, reply);
  }

  /**
   * Ends the session and returns the Location to send the browser to: the requested URI only when it
   * is registered for the client and the client is vouched for — by an id_token_hint, or because this
   * browser's session signed in to it. A link naming any client's registered URI is not enough.
   */
  async signOut(
    request: FastifyRequest,
    reply: FastifyReply,
    session: BrowserSession | null,
    target: SignOutTarget,
  ): Promise<string> {
    await this.sessions.end(request, reply);
    const { redirectUri, clientId } = target;
    if (!redirectUri || !clientId || clientId.length > 255) return SIGNED_OUT_PAGE;
    if (!target.hinted && !session?.clients?.includes(clientId)) return SIGNED_OUT_PAGE;
    const client = await this.clients.find(clientId);
    if (!client || !client.redirectUris.includes(redirectUri)) return SIGNED_OUT_PAGE;
    if (target.state === undefined) return redirectUri;
    const url = new URL(redirectUri);
    url.searchParams.append('state', target.state);
    return url.toString();
  }
}

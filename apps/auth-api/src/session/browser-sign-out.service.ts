import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ClientRegistry } from '../clients/client-registry.service';
import { SessionService } from './session.service';

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
  ) {}

  /** True when the request carries a session cookie (live or not). */
  hasSessionCookie(request: FastifyRequest): boolean {
    return /(?:^|;\s*)cxauth_session=/.test(request.headers.cookie ?? '');
  }

  /** Ends the browser session (if any) and clears its cookie. */
  async endSession(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    await this.sessions.end(request, reply);
  }

  /** Ends the session and returns the Location to send the browser to. */
  async signOut(
    request: FastifyRequest,
    reply: FastifyReply,
    redirectUri: unknown,
    clientId: unknown,
  ): Promise<string> {
    await this.sessions.end(request, reply);
    if (typeof redirectUri !== 'string' || typeof clientId !== 'string' || clientId.length > 255)
      return SIGNED_OUT_PAGE;
    const client = await this.clients.find(clientId);
    return client && client.redirectUris.includes(redirectUri) ? redirectUri : SIGNED_OUT_PAGE;
  }
}

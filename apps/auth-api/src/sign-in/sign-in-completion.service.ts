import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DirectoryUser } from '@cxauth/domain';
import { redirect } from '../authorize/authorize.controller';
import { AuthorizationResponder, errorPage } from '../authorize/authorization-responder.service';
import { PendingSignInStore } from '../authorize/pending-sign-in.store';
import { type IdpSignIn, SessionService } from '../session/session.service';

export const SIGNED_IN_PAGE = '/ui/auth/signed-in.html';

/**
 * Where every sign-in path ends (password form, OIDC, SAML): the pending request consumed once, a
 * new session, then the code to the application or the signed-in page.
 */
@Injectable()
export class SignInCompletion {
  constructor(
    private readonly pending: PendingSignInStore,
    private readonly sessions: SessionService,
    private readonly responder: AuthorizationResponder,
  ) {}

  async complete(
    request: FastifyRequest,
    reply: FastifyReply,
    reference: string,
    user: DirectoryUser,
    tenant: string | undefined,
    idp?: IdpSignIn,
  ): Promise<void> {
    // Single use: a second submit of the same page cannot mint a second code.
    const taken = await this.pending.take(reference);
    if (!taken) return redirect(reply, errorPage('request_expired'));
    const session = await this.sessions.start(request, reply, user, idp);
    if (taken.authorization) return redirect(reply, await this.responder.respond(taken.authorization, session));
    return redirect(reply, await this.signedInPage(request, reply, user, taken.locale, tenant ?? taken.tenant));
  }

  /** signed-in.html for this browser's session: the page shows whom, and can only say so from here. */
  async signedInPage(
    request: FastifyRequest,
    reply: FastifyReply,
    user: DirectoryUser,
    locale: string | undefined,
    tenant?: string,
  ): Promise<string> {
    const displayName = [user.firstName, user.lastName].filter(Boolean).join(' ') || undefined;
    const reference = await this.pending.create(request, reply, {
      purpose: 'signed-in',
      hideTenant: true,
      locale,
      tenant,
      username: user.username,
      displayName,
    });
    return `${SIGNED_IN_PAGE}?request=${reference}`;
  }
}

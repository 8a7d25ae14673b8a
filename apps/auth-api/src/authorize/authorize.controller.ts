import { Controller, Get, Header, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ClientRegistry } from '../clients/client-registry.service';
import { type BrowserSession, SessionService } from '../session/session.service';
import { KeyRing } from '../signing-keys/key-ring.service';
import { IdentityProviderRegistry } from '../sso/identity-provider.registry';
import { UserAuthenticationService } from '../users/user-authentication.service';
import { AuthorizationResponder, errorPage } from './authorization-responder.service';
import { PendingSignInStore } from './pending-sign-in.store';
import { parseAuthorizationRequest, redirectWith } from '@cxauth/domain';

export const SIGN_IN_PAGE = '/ui/auth/sign-in.html';
/** Sends the browser of a pending sign-in to its tenant's identity provider (sign-in controller). */
export const SSO_START_PATH = '/auth/v3/sign-in/sso';

/**
 * GET /auth/v3/oauth/authorize (RFC 6749 §4.1 / §4.2, PKCE RFC 7636). With a live browser session the
 * browser goes straight back to the client with a code; otherwise to the sign-in page, which carries
 * only an opaque reference to the request kept server-side.
 */
@ApiTags('Browser sign-in')
@Controller('oauth')
export class AuthorizeController {
  constructor(
    private readonly clients: ClientRegistry,
    private readonly sessions: SessionService,
    private readonly pending: PendingSignInStore,
    private readonly responder: AuthorizationResponder,
    private readonly users: UserAuthenticationService,
    private readonly keys: KeyRing,
    private readonly identityProviders: IdentityProviderRegistry,
  ) {}

  @Get('authorize')
  @ApiOperation({
    summary: 'Authorization endpoint (RFC 6749 code / implicit, PKCE S256; required for PUBLIC clients)',
    description:
      'Query: response_type, client_id, redirect_uri (exact match), state, nonce, scope, code_challenge, code_challenge_method, ' +
      'response_mode, prompt (none|login), hideTenant, locale, tenant, login_hint. Always answers 302: to the redirect_uri (code or ' +
      'RFC 6749 error), to /ui/auth/sign-in.html?request=<reference> (or, for a tenant with single sign-on, on to its identity provider), ' +
      'or to /ui/auth/error.html when the client or redirect_uri is not valid.',
  })
  @ApiResponse({ status: 302, description: 'Redirect (see description)' })
  @Header('cache-control', 'no-store')
  async authorize(
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const parsed = await parseAuthorizationRequest(query ?? {}, (clientId) => this.clients.find(clientId));
    if (parsed.kind === 'page-error') return redirect(reply, errorPage(parsed.error));
    if (parsed.kind === 'redirect-error') {
      return redirect(
        reply,
        redirectWith(
          { ...parsed.redirect, issuer: this.keys.issuer },
          { error: parsed.error, error_description: parsed.description },
        ),
      );
    }
    const { client, request: authorization, prompt } = parsed;
    const session = prompt.has('login') ? null : await this.liveSession(request, reply);
    if (session) return redirect(reply, await this.responder.respond(authorization, session));
    if (prompt.has('none')) {
      const target = {
        redirectUri: authorization.redirectUri,
        responseMode: authorization.responseMode,
        state: authorization.state,
        issuer: this.keys.issuer,
      };
      return redirect(
        reply,
        redirectWith(target, { error: 'login_required', error_description: 'the user is not signed in' }),
      );
    }
    const reference = await this.pending.create(request, reply, {
      purpose: 'authorize',
      authorization,
      hideTenant: parsed.hideTenant,
      locale: parsed.locale,
      clientName: client.name,
      tenant: parsed.tenant,
      username: parsed.username,
    });
    // The application named an SSO tenant: straight to its identity provider (SP-initiated).
    if (parsed.tenant && (await this.identityProviders.forDomain(parsed.tenant)))
      return redirect(reply, `${SSO_START_PATH}?request=${reference}`);
    return redirect(reply, `${SIGN_IN_PAGE}?request=${reference}`);
  }

  /**
   * The browser's session with its user as the directory has them now. A user disabled or deleted
   * since sign-in (also in an LDAP or Configuration Server directory, where no sign-out ran) ends
   * every session of theirs: the browser signs in again and gets no code.
   */
  private async liveSession(request: FastifyRequest, reply: FastifyReply): Promise<BrowserSession | null> {
    const session = await this.sessions.current(request);
    if (!session) return null;
    const user = await this.users.findById(session.user.id);
    if (!user) {
      await this.sessions.end(request, reply);
      await this.sessions.endAllForUser(session.user.id);
      return null;
    }
    return { ...session, user };
  }
}

export function redirect(reply: FastifyReply, location: string, status = 302): void {
  void reply.status(status).header('location', location).header('cache-control', 'no-store').send();
}

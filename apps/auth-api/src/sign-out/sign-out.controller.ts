import { Controller, Get, HttpCode, Inject, Logger, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  AUDIT_LOG,
  type AuditLog,
  auditOrigin,
  DomainException,
  Envelope,
  InvalidBearerToken,
  ok,
} from '@cxauth/domain';
import { ClientRegistry } from '../clients/client-registry.service';
import { BrowserSignOut, type IdTokenHint } from '../session/browser-sign-out.service';
import { type OidcSignIn, type SamlSignIn, SessionService } from '../session/session.service';
import { RefreshTokenService } from '../tokens/refresh-token.service';
import { TokenService } from '../tokens/token.service';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiBearerOperation } from '../oauth/openapi';
import { parseBearerAuthorization } from '@cxauth/platform';
import { UserSignOut } from '../session/user-sign-out.service';
import { OidcRelyingParty } from '../sso/oidc-relying-party';
import { samlPostPage } from '../sso/saml-post-page';
import { type SamlOutgoing, SamlServiceProvider } from '../sso/saml-service-provider';

/**
 * GET/POST `/auth/v3/sign-out`.
 * - With a Bearer token: revokes that token (and its refresh-token family); `global=true` revokes every
 *   access and refresh token and every browser session of the user. `redirectUri` must be registered on
 *   the token's client (else 400) — never an open redirect. The browser session cookie, if any, ends too.
 * - Without a Bearer token (a browser, with its session cookie or an OpenID Connect `id_token_hint`): the
 *   session ends and the browser goes to `post_logout_redirect_uri` (or `redirectUri`) when it is
 *   registered for the client and the client is vouched for (the `id_token_hint`'s `azp`, or a client this
 *   session signed in to, named by `client_id`), with `state`; otherwise to the signed-out page. A revoked
 *   `id_token_hint` (its `jti`, or issued before the user's sign-out everywhere) counts as no hint.
 *   `global=true` ends all of the user's sessions and tokens only when the request cannot be cross-site
 *   forgery: the browser says it is same-origin or same-site (Fetch Metadata), or an `id_token_hint`
 *   names the session's user. Otherwise only this browser's session ends. A session from a SAML IdP with
 *   a single logout URL goes there first (a signed LogoutRequest), and from its answer on to that target;
 *   one from an OpenID Connect IdP with an end_session_endpoint likewise (RP-initiated logout).
 */
@ApiTags('Sign-out')
@Controller('sign-out')
export class SignOutController {
  private readonly logger = new Logger(SignOutController.name);

  constructor(
    private readonly tokens: TokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly clients: ClientRegistry,
    private readonly browser: BrowserSignOut,
    private readonly sessions: SessionService,
    private readonly userSignOut: UserSignOut,
    private readonly saml: SamlServiceProvider,
    private readonly oidc: OidcRelyingParty,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiBearerOperation('Sign out: revoke the token (global=true: all tokens and sessions of the user)')
  @ApiQuery({ name: 'global', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'redirectUri', required: false })
  async post(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query() query: Record<string, unknown>,
  ): Promise<Envelope | string | void> {
    return this.signOut(request, reply, query);
  }

  @Get()
  @ApiBearerOperation('Sign out (Bearer or browser session cookie); redirectUri must be registered')
  @ApiQuery({ name: 'global', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'redirectUri', required: false })
  @ApiQuery({ name: 'client_id', required: false })
  @ApiQuery({ name: 'post_logout_redirect_uri', required: false })
  @ApiQuery({ name: 'id_token_hint', required: false })
  @ApiQuery({ name: 'state', required: false })
  async get(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query() query: Record<string, unknown>,
  ): Promise<Envelope | string | void> {
    return this.signOut(request, reply, query);
  }

  private async signOut(
    request: FastifyRequest,
    reply: FastifyReply,
    query: Record<string, unknown>,
  ): Promise<Envelope | string | void> {
    const { global } = query;
    if (global !== undefined && global !== 'true' && global !== 'false') {
      throw new DomainException('VALIDATION_FAILED', 'global: must be true or false');
    }
    const redirectUri = single(query, 'redirectUri');
    const clientId = single(query, 'client_id');
    const postLogout = single(query, 'post_logout_redirect_uri');
    const state = single(query, 'state');
    void reply.header('cache-control', 'no-store');
    const everywhere = global === 'true';

    if (
      !request.headers.authorization &&
      (this.browser.hasSessionCookie(request) || query.id_token_hint !== undefined)
    ) {
      const hint = await this.liveIdTokenHint(query.id_token_hint);
      const session = await this.sessions.current(request, false);
      const global = Boolean(session && everywhere && (notCrossSite(request) || hint?.subject === session.user.id));
      if (session && global) await this.userSignOut.signOutEverywhere(session.user.id);
      if (session) await this.recordSignOut(request, session.user.id, hint?.clientId ?? clientId, global, 'browser');
      const location = await this.browser.signOut(request, reply, session, {
        redirectUri: postLogout ?? redirectUri,
        clientId: hint?.clientId ?? clientId,
        hinted: hint !== null,
        state,
      });
      // A session from a SAML IdP with single logout, or from an OIDC IdP with an end-session endpoint:
      // through the IdP, which sends the browser back to `location`.
      const viaIdp = session?.saml
        ? await this.samlLogoutUrl(session.saml, location)
        : session?.oidc
          ? await this.oidcLogoutUrl(session.oidc, location).then((url) =>
              url ? { binding: 'redirect' as const, url } : null,
            )
          : null;
      if (viaIdp?.binding === 'post') {
        // The IdP takes its LogoutRequest posted: a page whose form the browser posts there.
        const page = samlPostPage(viaIdp.url, viaIdp.form);
        void reply.status(200).header('content-security-policy', page.csp).type('text/html; charset=utf-8');
        return page.html;
      }
      void reply.status(302).header('location', viaIdp?.url ?? location);
      return;
    }

    const token = parseBearerAuthorization(request.headers.authorization);
    if (!token) throw new InvalidBearerToken('An access token is required', 'Bearer realm="cxauth"');
    const record = await this.tokens.findAccessToken(token);
    if (!record) throw new InvalidBearerToken();
    if (redirectUri !== undefined) {
      const client = await this.clients.find(record.clientId);
      if (!client || !client.redirectUris.includes(redirectUri)) {
        throw new DomainException('VALIDATION_FAILED', 'redirectUri: not registered for this client');
      }
    }
    await this.tokens.revokeAccessToken(token);
    if (record.familyId) await this.refreshTokens.revokeFamily(record.familyId, 'sign_out');
    if (everywhere) await this.userSignOut.signOutEverywhere(record.subject);
    await this.recordSignOut(request, record.subject, record.clientId, everywhere, 'bearer');
    await this.browser.endSession(request, reply);
    if (redirectUri !== undefined) {
      void reply.status(302).header('location', redirectUri);
      return;
    }
    return ok();
  }

  /**
   * A verified `id_token_hint` that still counts. A revoked one (its `jti` revoked, or issued before
   * the user was signed out everywhere) vouches for nothing: no redirect on its word, no global
   * sign-out on its word; the browser's own session still ends. Not ours or expired: 400 (code 2).
   */
  private async liveIdTokenHint(value: unknown): Promise<IdTokenHint | null> {
    const hint = await this.browser.verifyIdTokenHint(value);
    if (!hint) return null;
    return (await this.tokens.idTokenRevoked({ sub: hint.subject, iat: hint.iat, jti: hint.jti })) ? null : hint;
  }

  /** The IdP's single logout (URL or form); null (sign-out stays local) when there is none or the IdP is unusable now. */
  private async samlLogoutUrl(signIn: SamlSignIn, location: string): Promise<SamlOutgoing | null> {
    try {
      return await this.saml.logoutUrl(signIn, location);
    } catch (error) {
      this.logger.warn(`saml single logout not started: ${(error as Error).message.slice(0, 300)}`);
      return null;
    }
  }

  /** The IdP's end-session URL; null (sign-out stays local) when there is none or the IdP cannot be asked now. */
  private async oidcLogoutUrl(signIn: OidcSignIn, location: string): Promise<string | null> {
    try {
      return await this.oidc.logoutUrl(signIn, location);
    } catch (error) {
      this.logger.warn(`oidc logout at the IdP not started: ${(error as Error).message.slice(0, 300)}`);
      return null;
    }
  }

  private recordSignOut(
    request: FastifyRequest,
    subject: string,
    clientId: string | undefined,
    global: boolean,
    channel: 'browser' | 'bearer',
  ): Promise<void> {
    return this.audit.record({
      type: 'sign_out',
      outcome: 'success',
      actor: subject,
      target: subject,
      clientId: clientId ?? null,
      ...auditOrigin(request),
      detail: { global, channel },
    });
  }
}

/**
 * Fetch Metadata (sent by every current browser): the request came from our own pages or a sibling
 * site, or the user typed it. A cross-site link or form, or a browser that says nothing, is not enough
 * to end every session of the user.
 */
function notCrossSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  return site === 'same-origin' || site === 'same-site' || site === 'none';
}

function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value !== undefined && typeof value !== 'string') {
    throw new DomainException('VALIDATION_FAILED', `${name}: must be given once`);
  }
  return value;
}

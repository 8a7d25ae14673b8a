import { setTimeout as sleep } from 'node:timers/promises';
import { Body, Controller, Get, Header, HttpCode, Inject, Logger, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  type DirectoryUser,
  DirectoryUnavailableException,
  DomainException,
  okData,
  parseTenantUserName,
} from '@cxauth/domain';
import { APP_CONFIG, Consumes, ZodValidationPipe } from '@cxauth/platform';
import { redirect, SIGN_IN_PAGE } from '../authorize/authorize.controller';
import { AuthorizationResponder, errorPage } from '../authorize/authorization-responder.service';
import { isReference, PendingSignInStore } from '../authorize/pending-sign-in.store';
import type { SessionConfig } from '../session/session.config';
import { SessionService } from '../session/session.service';
import { UserAuthenticationService } from '../users/user-authentication.service';
import { type ActiveIdentityProvider, IdentityProviderRegistry } from '../sso/identity-provider.registry';
import { OidcRelyingParty } from '../sso/oidc-relying-party';
import { SsoFailure } from '../sso/sso-failure';
import { SsoUserResolver } from '../sso/sso-user.resolver';
import { ContactCenterBranding } from './contact-center-branding.service';
import { SignInForm, signInFormSchema, startSignInQuerySchema } from './sign-in.form';

export const CHANGE_PASSWORD_PAGE = '/ui/auth/change-password.html';
export const SIGNED_IN_PAGE = '/ui/auth/signed-in.html';

/**
 * The browser side of sign-in: POST /auth/v3/sign-in (the form of sign-in.html), GET /auth/v3/sign-in
 * (starts a sign-in outside an authorization) and GET /auth/v3/sign-in/context (what auth-ui needs to
 * render a pending sign-in).
 */
@ApiTags('Browser sign-in')
@Controller('sign-in')
export class SignInController {
  private readonly logger = new Logger(SignInController.name);

  constructor(
    private readonly pending: PendingSignInStore,
    private readonly sessions: SessionService,
    private readonly users: UserAuthenticationService,
    private readonly responder: AuthorizationResponder,
    private readonly branding: ContactCenterBranding,
    private readonly identityProviders: IdentityProviderRegistry,
    private readonly oidc: OidcRelyingParty,
    private readonly ssoUsers: SsoUserResolver,
    @Inject(APP_CONFIG) private readonly config: SessionConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      "Start a sign-in (next=sign-in|change-password) outside an authorization, or show this browser's session (next=signed-in); 302 to the page",
  })
  @ApiResponse({
    status: 302,
    description: 'To /ui/auth/sign-in.html or change-password.html with a request reference',
  })
  @Header('cache-control', 'no-store')
  async start(
    @Query(new ZodValidationPipe(startSignInQuerySchema))
    query: { next?: 'sign-in' | 'change-password' | 'signed-in'; locale?: string; hideTenant?: string },
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const purpose = query.next ?? 'sign-in';
    const locale = query.locale?.toLowerCase().replace('_', '-');
    if (purpose === 'signed-in') {
      const session = await this.sessions.current(request, false);
      if (!session) return redirect(reply, `${SIGNED_IN_PAGE}?session=none${locale ? `&locale=${locale}` : ''}`);
      return redirect(reply, await this.signedInPage(request, reply, session.user, locale));
    }
    const reference = await this.pending.create(request, reply, {
      purpose,
      hideTenant: query.hideTenant === 'true',
      locale,
    });
    const page = purpose === 'change-password' ? CHANGE_PASSWORD_PAGE : SIGN_IN_PAGE;
    redirect(reply, `${page}?request=${reference}`);
  }

  /** signed-in.html for this browser's session: the page shows whom, and can only say so from here. */
  private async signedInPage(
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

  /** For auth-ui (server to server, or any holder of the reference): how to render the page. */
  @Get('context')
  @ApiExcludeEndpoint()
  @Header('cache-control', 'no-store')
  async context(@Query('request') reference: unknown) {
    const pending = isReference(reference) ? await this.pending.find(reference) : null;
    if (!pending) throw new DomainException('NOT_FOUND', 'The sign-in request is unknown or has expired');
    return okData({
      purpose: pending.purpose,
      csrfToken: pending.csrfToken,
      hideTenant: pending.hideTenant,
      locale: pending.locale ?? null,
      clientId: pending.authorization?.clientId ?? null,
      clientName: pending.clientName ?? null,
      redirectOrigin: pending.authorization ? new URL(pending.authorization.redirectUri).origin : null,
      tenant: pending.tenant ?? null,
      typedTenant: pending.typedTenant ?? null,
      branding: await this.branding.of(pending.tenant ?? pending.typedTenant),
      username: pending.username ?? null,
      displayName: pending.displayName ?? null,
      brokenPasswordRules: pending.brokenPasswordRules ?? [],
      failures: pending.failures,
      expiresAt: pending.expiresAt,
    });
  }

  @Post()
  @HttpCode(302)
  @Consumes('application/x-www-form-urlencoded')
  @ApiOperation({
    summary: 'The sign-in form: username (tenant\\user, or with tenant), password, request, csrf',
    description:
      'Success: session cookie and 302 to the redirect_uri with a code. Failure: 302 back to the sign-in page or the error page.',
  })
  @ApiResponse({ status: 302, description: 'Redirect' })
  async signIn(
    @Body(new ZodValidationPipe(signInFormSchema)) form: SignInForm,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const started = Date.now();
    const reference = form.request;
    const pending = await this.pending.find(reference);
    if (!reference || !pending || (pending.purpose !== 'authorize' && pending.purpose !== 'sign-in'))
      return redirect(reply, errorPage('request_expired'));
    if (!this.pending.isAuthentic(request, pending, form.csrf)) {
      this.logger.warn('sign-in refused: CSRF check failed');
      return redirect(reply, errorPage('csrf'));
    }
    // A single sign-on tenant signs in at its identity provider; no password is checked here.
    const typed = parseTenantUserName(form.username ?? '', form.tenant || pending.tenant || null);
    const provider = typed.tenant ? await this.identityProviders.forDomain(typed.tenant) : null;
    if (provider) return this.toIdentityProvider(reply, provider, reference, typed.username, 'page');
    let user;
    try {
      user = await this.users.authenticate(form.username ?? '', form.password ?? '', form.tenant || null);
    } catch (error) {
      // The directory could not check the password: an outage page, and no failed attempt counted.
      if (error instanceof DirectoryUnavailableException) return redirect(reply, errorPage('directory_unavailable'));
      throw error;
    }
    if (!user) {
      pending.username = form.username?.slice(0, 512);
      pending.typedTenant = form.tenant || undefined;
      // Same answer, and at least the same time, for an unknown user and a wrong password.
      await padFailure(started, this.config.SIGN_IN_FAILURE_MIN_MS);
      if (!(await this.pending.recordFailure(reference, pending)))
        return redirect(reply, errorPage('too_many_attempts'));
      return redirect(reply, `${SIGN_IN_PAGE}?request=${reference}&error=invalid_credentials`);
    }
    const tenant = parseTenantUserName(form.username ?? '', form.tenant || null).tenant ?? undefined;
    return this.completeSignIn(request, reply, reference, user, tenant);
  }

  /** Every sign-in path ends here: the pending request consumed once, a new session, then the code or the page. */
  private async completeSignIn(
    request: FastifyRequest,
    reply: FastifyReply,
    reference: string,
    user: DirectoryUser,
    tenant: string | undefined,
  ): Promise<void> {
    // Single use: a second submit of the same page cannot mint a second code.
    const taken = await this.pending.take(reference);
    if (!taken) return redirect(reply, errorPage('request_expired'));
    const session = await this.sessions.start(request, reply, user);
    if (taken.authorization) return redirect(reply, await this.responder.respond(taken.authorization, session));
    return redirect(reply, await this.signedInPage(request, reply, user, taken.locale, tenant ?? taken.tenant));
  }

  @Get('sso')
  @ApiOperation({
    summary: "Send a pending sign-in whose tenant the application named to that tenant's identity provider",
  })
  @ApiResponse({ status: 302, description: 'To the identity provider, or to the sign-in page' })
  @Header('cache-control', 'no-store')
  async startSso(
    @Query('request') reference: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const pending = isReference(reference) ? await this.pending.find(reference) : null;
    if (!pending || !isReference(reference) || pending.purpose !== 'authorize')
      return redirect(reply, errorPage('request_expired'));
    if (!this.pending.isSameBrowser(request, pending)) return redirect(reply, errorPage('csrf'));
    const provider = pending.tenant ? await this.identityProviders.forDomain(pending.tenant) : null;
    // SSO was switched off meanwhile: the password page.
    if (!provider) return redirect(reply, `${SIGN_IN_PAGE}?request=${reference}`);
    return this.toIdentityProvider(reply, provider, reference, pending.username, 'redirect');
  }

  @Get('oidc/callback')
  @ApiOperation({
    summary: "The OpenID Connect identity provider's answer (redirect_uri registered at the IdP)",
    description:
      'Checks state (single use, this browser), the code exchange with PKCE, the id_token (signature, issuer, audience, expiry, nonce) and userinfo; ' +
      'then continues like a password sign-in: session, code to the application. Refusals go to /ui/auth/error.html?error=sso_*.',
  })
  @ApiResponse({ status: 302, description: 'To the application with a code, to signed-in.html, or to the error page' })
  @Header('cache-control', 'no-store')
  async oidcCallback(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const query = new URLSearchParams(request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '');
    let user: DirectoryUser;
    let reference: string;
    try {
      const identity = await this.oidc.finish(query);
      reference = identity.reference;
      const pending = await this.pending.find(reference);
      if (!pending) throw new SsoFailure('sso_expired', 'the pending sign-in has expired');
      if (!this.pending.isSameBrowser(request, pending))
        throw new SsoFailure('sso_unsolicited', 'the answer came to another browser than the one that was sent');
      user = await this.ssoUsers.resolve(identity);
      this.logger.log(
        `sso sign-in: contact center ${identity.provider.contactCenterId}, subject ${identity.subject}, user ${user.id}`,
      );
    } catch (error) {
      if (error instanceof SsoFailure) {
        this.logger.warn(`sso sign-in refused (${error.reason}): ${error.detail}`);
        return redirect(reply, errorPage(error.reason));
      }
      if (error instanceof DirectoryUnavailableException) return redirect(reply, errorPage('directory_unavailable'));
      throw error;
    }
    return this.completeSignIn(request, reply, reference, user, undefined);
  }

  private async toIdentityProvider(
    reply: FastifyReply,
    provider: ActiveIdentityProvider,
    reference: string,
    loginHint: string | undefined,
    how: 'redirect' | 'page',
  ): Promise<void> {
    try {
      const url = await this.oidc.start(provider, reference, loginHint || undefined);
      return how === 'page' ? continuePage(reply, url) : redirect(reply, url);
    } catch (error) {
      if (!(error instanceof SsoFailure)) throw error;
      this.logger.warn(`sso sign-in not started (${error.reason}): ${error.detail}`);
      return redirect(reply, errorPage(error.reason));
    }
  }
}

/**
 * The answer to a form post that continues at the identity provider. Browsers check a redirect after a
 * form post against the sign-in page's CSP `form-action` (which names only this origin and the
 * application's), so the page moves on by itself instead: a meta refresh, and a link.
 */
function continuePage(reply: FastifyReply, url: string): void {
  const safe = url.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  void reply
    .status(200)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${safe}">` +
        `<title>Single sign-on</title></head><body><p><a href="${safe}">Continue to your identity provider</a></p></body></html>`,
    );
}

/** Failed attempts all take at least `minimumMs` from `started`, so their timing tells nothing. */
export async function padFailure(started: number, minimumMs: number): Promise<void> {
  const wait = minimumMs - (Date.now() - started);
  if (wait > 0) await sleep(wait);
}

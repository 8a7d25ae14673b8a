import { setTimeout as sleep } from 'node:timers/promises';
import { Body, Controller, Get, Header, HttpCode, Inject, Logger, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  DirectoryUnavailableException,
  DomainException,
  okData,
  parseTenantUserName,
  TooManyFailedAttempts,
} from '@cxauth/domain';
import { APP_CONFIG, Consumes, ZodValidationPipe } from '@cxauth/platform';
import { redirect, SIGN_IN_PAGE } from '../authorize/authorize.controller';
import { errorPage } from '../authorize/authorization-responder.service';
import { isReference, PendingSignInStore } from '../authorize/pending-sign-in.store';
import type { SessionConfig } from '../session/session.config';
import { SessionService } from '../session/session.service';
import { UserAuthenticationService } from '../users/user-authentication.service';
import { IdentityProviderRegistry } from '../sso/identity-provider.registry';
import { SsoRedirect } from '../sso/sso-redirect.service';
import { SignInCompletion, SIGNED_IN_PAGE } from './sign-in-completion.service';
import { ContactCenterBranding } from './contact-center-branding.service';
import { SignInForm, signInFormSchema, startSignInQuerySchema } from './sign-in.form';

export const CHANGE_PASSWORD_PAGE = '/ui/auth/change-password.html';

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
    private readonly branding: ContactCenterBranding,
    private readonly identityProviders: IdentityProviderRegistry,
    private readonly ssoRedirect: SsoRedirect,
    private readonly completion: SignInCompletion,
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
      return redirect(reply, await this.completion.signedInPage(request, reply, session.user, locale));
    }
    const reference = await this.pending.create(request, reply, {
      purpose,
      hideTenant: query.hideTenant === 'true',
      locale,
    });
    const page = purpose === 'change-password' ? CHANGE_PASSWORD_PAGE : SIGN_IN_PAGE;
    redirect(reply, `${page}?request=${reference}`);
  }

  /**
   * For auth-ui (server to server, passing on the browser's flow cookie): how to render the page. The
   * reference alone is not enough: the CSRF token goes only to the browser that started the sign-in.
   */
  @Get('context')
  @ApiExcludeEndpoint()
  @Header('cache-control', 'no-store')
  async context(@Query('request') reference: unknown, @Req() request: FastifyRequest) {
    const pending = isReference(reference) ? await this.pending.find(reference) : null;
    if (!pending) throw new DomainException('NOT_FOUND', 'The sign-in request is unknown or has expired');
    if (!this.pending.isSameBrowser(request, pending))
      throw new DomainException('FORBIDDEN', 'The sign-in request was started by another browser');
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
    if (provider) return this.ssoRedirect.send(reply, provider, reference, typed.username, 'page');
    // "Continue with single sign-on" (the product's `saml` switch) without a password, for a tenant
    // without an identity provider (or none typed): say so on the page, no password check, nothing counted.
    if (form.saml === 'true' && !form.password) {
      pending.username = form.username?.slice(0, 512);
      pending.typedTenant = form.tenant || undefined;
      await this.pending.update(reference, pending);
      return redirect(reply, `${SIGN_IN_PAGE}?request=${reference}&error=sso_unknown_idp`);
    }
    let user;
    try {
      user = await this.users.authenticate(form.username ?? '', form.password ?? '', form.tenant || null, {
        ip: request.ip,
        requestId: request.id,
        channel: 'browser',
        clientId: pending.authorization?.clientId,
      });
    } catch (error) {
      // The account or this source is locked: the same page for known and unknown accounts.
      if (error instanceof TooManyFailedAttempts) return redirect(reply, errorPage('too_many_attempts'));
      // The directory could not check the password: an outage page, and no failed attempt counted.
      if (error instanceof DirectoryUnavailableException) return redirect(reply, errorPage('directory_unavailable'));
      throw error;
    }
    if (!user) {
      pending.username = form.username?.slice(0, 512);
      pending.typedTenant = form.tenant || undefined;
      // Same answer, and at least the same time, for an unknown user and a wrong password.
      await padFailure(started, this.config.SIGN_IN_FAILURE_MIN_MS);
      await this.pending.recordFailure(reference, pending);
      return redirect(reply, `${SIGN_IN_PAGE}?request=${reference}&error=invalid_credentials`);
    }
    const tenant = parseTenantUserName(form.username ?? '', form.tenant || null).tenant ?? undefined;
    return this.completion.complete(request, reply, reference, user, tenant);
  }
}

/** Failed attempts all take at least `minimumMs` from `started`, so their timing tells nothing. */
export async function padFailure(started: number, minimumMs: number): Promise<void> {
  const wait = minimumMs - (Date.now() - started);
  if (wait > 0) await sleep(wait);
}

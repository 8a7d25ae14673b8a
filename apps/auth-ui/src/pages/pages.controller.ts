import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG } from '@cxauth/platform';
import { ASSETS } from '../assets/assets';
import type { AuthUiConfig } from '../auth-ui.config';
import { en, MessageKey } from '../i18n/messages';
import {
  AuthApiClient,
  AuthApiUnavailable,
  flowCookieOf,
  SignInContext,
  SignInFromAnotherBrowser,
} from './auth-api.client';
import { buildFrame, Frame, renderPage, text } from './page-frame';
import type { SafeHtml } from './html';
import { changePasswordContent, messageContent, signedInContent, signInContent } from './templates';

type Query = Record<string, unknown>;

const REFERENCE = /^[A-Za-z0-9_-]{43}$/;
const SIGN_IN_ERRORS = new Set(['invalid_credentials', 'sso_unknown_idp']);
const CHANGE_PASSWORD_ERRORS = new Set(['invalid_credentials', 'password_mismatch', 'password_policy']);

function errorKey(code: string | undefined, allowed?: Set<string>): MessageKey | null {
  if (code === undefined) return null;
  const key = `error.${code}`;
  if ((allowed && !allowed.has(code)) || !Object.hasOwn(en, key)) return 'error.generic';
  return key as MessageKey;
}

/** Password rule codes from auth-api as message keys; unknown codes are left out. */
function ruleKeys(codes: string[] | undefined): MessageKey[] {
  return (codes ?? []).map((code) => `rule.${code}`).filter((key): key is MessageKey => Object.hasOwn(en, key));
}

/**
 * The server-rendered pages under /ui/auth/ (no framework; they work without JavaScript). Pages that
 * continue a sign-in read it from auth-api by its opaque reference; nothing the user could alter
 * in the URL decides where the browser is sent.
 */
/** Error pages that report an outage (503), so monitors and clients can tell them from a bad request. */
const OUTAGE_ERRORS = new Set<MessageKey>([
  'error.unavailable',
  'error.directory_unavailable',
  'error.sso_idp_unavailable',
]);

@Controller()
export class PagesController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AuthUiConfig,
    private readonly authApi: AuthApiClient,
  ) {}

  @Get()
  root(@Res() reply: FastifyReply): void {
    void reply.status(302).header('location', '/ui/auth/sign-in.html').send();
  }

  /** Also served at the product's old path /auth/sign-in.html (excluded from the global prefix). */
  @Get(['sign-in.html', 'auth/sign-in.html'])
  async signIn(@Query() query: Query, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const reference = text(query, 'request');
    if (reference === undefined) return this.startFlow(reply, 'sign-in', query);
    const context = await this.loadContext(request, reply, query, reference, 'sign-in');
    if (!context) return;
    const frame = this.frame(request, query, context, 'page.signIn', '/ui/auth/sign-in.html', { request: reference });
    const content = signInContent(frame.t, {
      reference,
      csrfToken: context.csrfToken,
      hideTenant: context.hideTenant || text(query, 'hideTenant') === 'true',
      clientName: context.clientName,
      tenant: context.tenant,
      typedTenant: context.typedTenant,
      username: context.username,
      error: errorKey(text(query, 'error'), SIGN_IN_ERRORS),
      locale: frame.frame.locale,
      // An application that named its tenant was sent to that tenant's IdP already, if it has one.
      offerSso: !context.tenant,
    });
    this.send(reply, frame, content, context.redirectOrigin);
  }

  @Get('change-password.html')
  async changePassword(
    @Query() query: Query,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (text(query, 'status') === 'changed') {
      const frame = this.frame(request, query, null, 'page.changePassword', '/ui/auth/change-password.html', {
        status: 'changed',
      });
      const link = { href: `/ui/auth/sign-in.html?locale=${frame.frame.locale}`, label: 'link.signIn' as const };
      return this.send(reply, frame, messageContent(frame.t, 'page.changePassword', 'ok', 'changed.body', link));
    }
    const reference = text(query, 'request');
    if (reference === undefined) return this.startFlow(reply, 'change-password', query);
    const context = await this.loadContext(request, reply, query, reference, 'change-password');
    if (!context) return;
    const frame = this.frame(request, query, context, 'page.changePassword', '/ui/auth/change-password.html', {
      request: reference,
    });
    const content = changePasswordContent(frame.t, {
      reference,
      csrfToken: context.csrfToken,
      hideTenant: context.hideTenant,
      tenant: context.tenant,
      typedTenant: context.typedTenant,
      username: context.username,
      error: errorKey(text(query, 'error'), CHANGE_PASSWORD_ERRORS),
      brokenRules: ruleKeys(context.brokenPasswordRules),
    });
    this.send(reply, frame, content);
  }

  @Get('signed-out.html')
  signedOut(@Query() query: Query, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const frame = this.frame(request, query, null, 'page.signedOut', '/ui/auth/signed-out.html', {});
    const link = { href: `/ui/auth/sign-in.html?locale=${frame.frame.locale}`, label: 'link.signIn' as const };
    this.send(reply, frame, messageContent(frame.t, 'page.signedOut', 'plain', 'signedOut.body', link));
  }

  /**
   * Only auth-api sees the session cookie (Path=/auth/v3): without a reference from it the page asks it
   * (`/auth/v3/sign-in?next=signed-in`), which answers with a reference or `session=none`.
   */
  @Get('signed-in.html')
  async signedIn(@Query() query: Query, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const reference = text(query, 'request');
    if (text(query, 'session') === 'none' || reference === undefined) {
      if (reference === undefined && text(query, 'session') !== 'none')
        return this.startFlow(reply, 'signed-in', query);
      const frame = this.frame(request, query, null, 'page.notSignedIn', '/ui/auth/signed-in.html', {
        session: 'none',
      });
      return this.send(reply, frame, signedInContent(frame.t, { name: null, locale: frame.frame.locale }));
    }
    const context = await this.loadContext(request, reply, query, reference, 'signed-in');
    if (!context) return;
    const frame = this.frame(request, query, context, 'page.signedIn', '/ui/auth/signed-in.html', {
      request: reference,
    });
    const name = context.displayName ? `${context.displayName} (${context.username})` : context.username;
    this.send(reply, frame, signedInContent(frame.t, { name, locale: frame.frame.locale }));
  }

  @Get('error.html')
  error(@Query() query: Query, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const code = text(query, 'error');
    const frame = this.frame(
      request,
      query,
      null,
      'page.error',
      '/ui/auth/error.html',
      code ? { error: code.slice(0, 64) } : {},
    );
    const key = errorKey(code) ?? 'error.generic';
    // Outages are answered as such (503), so monitors and clients can tell them from a bad request.
    const status = OUTAGE_ERRORS.has(key) ? 503 : 200;
    this.send(reply, frame, messageContent(frame.t, 'page.error', 'error', key), null, status);
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() reply: FastifyReply): void {
    const asset = Object.values(ASSETS).find((candidate) => candidate.name === name);
    if (!asset) {
      void reply.status(404).type('text/plain; charset=utf-8').send('Not found');
      return;
    }
    void reply
      .status(200)
      .type(asset.contentType)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('cross-origin-resource-policy', 'same-origin')
      .send(asset.body);
  }

  /** No reference: ask auth-api to start one (it sets the browser-binding cookie), then come back. */
  private startFlow(reply: FastifyReply, next: 'sign-in' | 'change-password' | 'signed-in', query: Query): void {
    const params = new URLSearchParams({ next });
    const locale = text(query, 'locale');
    if (locale && /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?$/.test(locale)) params.set('locale', locale);
    if (text(query, 'hideTenant') === 'true') params.set('hideTenant', 'true');
    void reply
      .status(302)
      .header('location', `/auth/v3/sign-in?${params.toString()}`)
      .header('cache-control', 'no-store')
      .send();
  }

  /**
   * The pending sign-in, or null after answering: a signed-in page whose reference expired asks
   * auth-api again; other pages render the error page.
   */
  private async loadContext(
    request: FastifyRequest,
    reply: FastifyReply,
    query: Query,
    reference: string,
    page: 'sign-in' | 'change-password' | 'signed-in',
  ): Promise<SignInContext | null> {
    let context: SignInContext | null = null;
    let failure: MessageKey = 'error.request_expired';
    if (REFERENCE.test(reference)) {
      try {
        context = await this.authApi.signInContext(reference, flowCookieOf(request.headers.cookie));
      } catch (error) {
        if (error instanceof SignInFromAnotherBrowser) failure = 'error.csrf';
        else if (error instanceof AuthApiUnavailable) failure = 'error.unavailable';
        else throw error;
      }
    } else {
      failure = 'error.invalid_request';
    }
    // Each page shows only its own kind of reference.
    const fits = context && (page === 'signed-in') === (context.purpose === 'signed-in');
    if (context && fits) return context;
    // Not for a foreign reference: a browser that keeps no cookies would come back here without end.
    if (page === 'signed-in' && failure !== 'error.unavailable' && failure !== 'error.csrf') {
      this.startFlow(reply, 'signed-in', query);
      return null;
    }
    const frame = this.frame(request, query, null, 'page.error', '/ui/auth/error.html', {});
    this.send(
      reply,
      frame,
      messageContent(frame.t, 'page.error', 'error', failure),
      null,
      failure === 'error.unavailable' ? 503 : 400,
    );
    return null;
  }

  private frame(
    request: FastifyRequest,
    query: Query,
    context: SignInContext | null,
    title: MessageKey,
    path: string,
    keep: Record<string, string>,
  ): Frame {
    return buildFrame({ request, query, context, productName: this.config.UI_PRODUCT_NAME, title, path, keep });
  }

  private send(
    reply: FastifyReply,
    frame: Frame,
    content: SafeHtml,
    formOrigin: string | null = null,
    status = 200,
  ): void {
    const page = renderPage(frame, content, formOrigin);
    void reply
      .status(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', page.contentSecurityPolicy)
      .header('content-language', frame.frame.locale)
      .header('vary', 'Accept-Language')
      .send(page.html);
  }
}

import { Injectable, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { redirect } from '../authorize/authorize.controller';
import { errorPage } from '../authorize/authorization-responder.service';
import type { ActiveIdentityProvider } from './identity-provider.registry';
import { OidcRelyingParty } from './oidc-relying-party';
import { sendSamlPostPage } from './saml-post-page';
import { type SamlOutgoing, SamlServiceProvider } from './saml-service-provider';
import { SsoFailure } from './sso-failure';

/** Sends the browser of a pending sign-in to its contact center's identity provider. */
@Injectable()
export class SsoRedirect {
  private readonly logger = new Logger(SsoRedirect.name);

  constructor(
    private readonly oidc: OidcRelyingParty,
    private readonly saml: SamlServiceProvider,
  ) {}

  /**
   * `redirect` answers 302; `page` (after a form post) answers a page that moves on by itself, because
   * browsers check a redirect after a form post against the sign-in page's CSP `form-action`, which
   * names only this origin and the application's. A SAML provider with `authnRequestBinding: post`
   * answers the HTTP-POST binding's form page in both cases.
   */
  async send(
    reply: FastifyReply,
    provider: ActiveIdentityProvider,
    reference: string,
    loginHint: string | undefined,
    how: 'redirect' | 'page',
  ): Promise<void> {
    let start: SamlOutgoing;
    try {
      start =
        provider.type === 'oidc'
          ? { binding: 'redirect', url: await this.oidc.start(provider, reference, loginHint || undefined) }
          : await this.saml.start(provider, reference);
    } catch (error) {
      if (!(error instanceof SsoFailure)) throw error;
      this.logger.warn(`sso sign-in not started (${error.reason}): ${error.detail}`);
      return redirect(reply, errorPage(error.reason));
    }
    if (start.binding === 'post') return sendSamlPostPage(reply, start.url, start.form);
    return how === 'page' ? continuePage(reply, start.url) : redirect(reply, start.url);
  }
}

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

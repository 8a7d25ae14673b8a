import { Body, Controller, Get, Header, HttpCode, Inject, Logger, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  AUDIT_LOG,
  type AuditLog,
  auditOrigin,
  type DirectoryUser,
  DirectoryUnavailableException,
  DomainException,
} from '@cxauth/domain';
import { Consumes } from '@cxauth/platform';
import { redirect, SIGN_IN_PAGE } from '../authorize/authorize.controller';
import { errorPage } from '../authorize/authorization-responder.service';
import { isReference, PendingSignInStore } from '../authorize/pending-sign-in.store';
import { SignInCompletion } from '../sign-in/sign-in-completion.service';
import { IdentityProviderRegistry } from './identity-provider.registry';
import { OidcRelyingParty } from './oidc-relying-party';
import { SessionService } from '../session/session.service';
import { sendSamlPostPage } from './saml-post-page';
import { type SamlLogoutMessage, SamlServiceProvider } from './saml-service-provider';
import { SsoFailure } from './sso-failure';
import type { SsoIdentity } from './sso-identity';
import { SsoRedirect } from './sso-redirect.service';
import { SsoUserResolver } from './sso-user.resolver';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An identity and the pending sign-in it continues; `fresh` when that was created just now (IdP-initiated). */
type Arrival = SsoIdentity & { reference: string; fresh?: boolean };

/**
 * Single sign-on routes under /auth/v3/sign-in: the start for an application-named SSO tenant, the
 * OIDC callback, and per contact center the SAML SP metadata and assertion consumer service.
 */
@ApiTags('Browser sign-in')
@Controller('sign-in')
export class SsoController {
  private readonly logger = new Logger(SsoController.name);

  constructor(
    private readonly pending: PendingSignInStore,
    private readonly identityProviders: IdentityProviderRegistry,
    private readonly ssoRedirect: SsoRedirect,
    private readonly oidc: OidcRelyingParty,
    private readonly saml: SamlServiceProvider,
    private readonly ssoUsers: SsoUserResolver,
    private readonly completion: SignInCompletion,
    private readonly sessions: SessionService,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  @Get('sso')
  @ApiOperation({
    summary: "Send a pending sign-in whose tenant the application named to that tenant's identity provider",
  })
  @ApiResponse({ status: 302, description: 'To the identity provider, or to the sign-in page' })
  @Header('cache-control', 'no-store')
  async start(
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
    return this.ssoRedirect.send(reply, provider, reference, pending.username, 'redirect');
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
    return this.arrive(request, reply, () => this.oidc.finish(query));
  }

  @Get('oidc/signed-out')
  @ApiOperation({
    summary:
      "The OpenID Connect identity provider's return after RP-initiated logout (post_logout_redirect_uri registered at the IdP)",
    description:
      'Takes the single-use state of the sign-out that went to the IdP and sends the browser where that sign-out said ' +
      '(the signed-out page, or the application’s registered post_logout_redirect_uri). Refusals go to /ui/auth/error.html?error=sso_*.',
  })
  @ApiResponse({ status: 302, description: 'To the signed-out page (or the application), or to the error page' })
  @Header('cache-control', 'no-store')
  async oidcSignedOut(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const query = new URLSearchParams(request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '');
    try {
      return redirect(reply, await this.oidc.finishLogout(query));
    } catch (error) {
      if (!(error instanceof SsoFailure)) throw error;
      this.logger.warn(`oidc logout return refused (${error.reason}): ${error.detail}`);
      return redirect(reply, errorPage(error.reason));
    }
  }

  @Get('saml/:contactCenterId/metadata')
  @ApiOperation({ summary: "The SAML service provider's metadata of a contact center (its entity ID is this URL)" })
  @ApiResponse({ status: 200, description: 'application/samlmetadata+xml' })
  async samlMetadata(@Param('contactCenterId') contactCenterId: string, @Res() reply: FastifyReply): Promise<void> {
    const provider = UUID.test(contactCenterId) ? await this.identityProviders.forContactCenter(contactCenterId) : null;
    if (provider?.type !== 'saml')
      throw new DomainException('NOT_FOUND', 'This contact center has no enabled SAML identity provider');
    void reply.type('application/samlmetadata+xml').send(await this.saml.metadata(provider));
  }

  @Post('saml/:contactCenterId/acs')
  @HttpCode(303)
  @Consumes('application/x-www-form-urlencoded')
  @ApiOperation({
    summary: 'SAML assertion consumer service (HTTP-POST binding): SAMLResponse, RelayState',
    description:
      'Checks signature, issuer, audience, recipient/destination, InResponseTo, validity with bounded skew and one-time assertion ids, ' +
      'then 303 to /auth/v3/sign-in/saml/continue (same browser) or to /ui/auth/error.html?error=sso_*.',
  })
  @ApiResponse({ status: 303, description: 'To the continuation, or to the error page' })
  async samlAcs(
    @Param('contactCenterId') contactCenterId: string,
    @Body() form: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    try {
      if (!UUID.test(contactCenterId)) throw new SsoFailure('sso_unknown_idp', 'not a contact center id');
      const result = await this.saml.finish(contactCenterId, form ?? {});
      const ticket = await this.saml.issueTicket(result);
      return redirect(reply, `/auth/v3/sign-in/saml/continue?ticket=${ticket}`, 303);
    } catch (error) {
      if (!(error instanceof SsoFailure)) throw error;
      await this.refused(request, error, contactCenterId);
      return redirect(reply, errorPage(error.reason), 303);
    }
  }

  @Get('saml/continue')
  @ApiOperation({ summary: 'Continues a checked SAML response in the browser that started the sign-in' })
  @ApiResponse({ status: 302, description: 'To the application with a code, to signed-in.html, or to the error page' })
  @Header('cache-control', 'no-store')
  async samlContinue(
    @Query('ticket') ticket: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.arrive(request, reply, async () => {
      if (!isReference(ticket)) throw new SsoFailure('sso_expired', 'no ticket');
      const { reference, ...identity } = await this.saml.redeemTicket(ticket);
      if (reference) return { ...identity, reference };
      // IdP-initiated (allowed for this provider): a sign-in of this browser without an application.
      const fresh = await this.pending.create(request, reply, { purpose: 'sign-in', hideTenant: true });
      return { ...identity, reference: fresh, fresh: true };
    });
  }

  @Get('saml/:contactCenterId/slo')
  @ApiOperation({
    summary:
      'SAML single logout (HTTP-Redirect binding): a LogoutResponse to our LogoutRequest, or the IdP’s LogoutRequest',
    description:
      'A LogoutResponse (signed, from the IdP, answering the LogoutRequest of this RelayState) sends the browser on to where sign-out said. ' +
      'A LogoutRequest (signed) ends the sessions of its NameID (and SessionIndex) at this contact center and answers the IdP with a signed LogoutResponse. ' +
      'Refusals go to /ui/auth/error.html?error=sso_*.',
  })
  @ApiResponse({
    status: 302,
    description: 'To the signed-out page (or the application), to the IdP, or to the error page',
  })
  @Header('cache-control', 'no-store')
  async samlSloRedirect(
    @Param('contactCenterId') contactCenterId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const rawQuery = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
    const query = Object.fromEntries(new URLSearchParams(rawQuery));
    return this.samlLogout(contactCenterId, { binding: 'redirect', query, rawQuery }, request, reply, 302);
  }

  @Post('saml/:contactCenterId/slo')
  @HttpCode(303)
  @Consumes('application/x-www-form-urlencoded')
  @ApiOperation({
    summary: 'SAML single logout (HTTP-POST binding): as the GET, with SAMLRequest or SAMLResponse posted',
  })
  @ApiResponse({
    status: 303,
    description: 'To the signed-out page (or the application), to the IdP, or to the error page',
  })
  @Header('cache-control', 'no-store')
  async samlSloPost(
    @Param('contactCenterId') contactCenterId: string,
    @Body() form: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.samlLogout(contactCenterId, { binding: 'post', form: form ?? {} }, request, reply, 303);
  }

  private async samlLogout(
    contactCenterId: string,
    message: SamlLogoutMessage,
    request: FastifyRequest,
    reply: FastifyReply,
    status: 302 | 303,
  ): Promise<void> {
    try {
      if (!UUID.test(contactCenterId)) throw new SsoFailure('sso_unknown_idp', 'not a contact center id');
      const logout = await this.saml.logout(contactCenterId, message);
      if (logout.kind === 'response') return redirect(reply, logout.location, status);
      const { nameId, sessionIndex } = logout.signIn;
      const users = await this.sessions.endSamlSessions(contactCenterId, nameId, sessionIndex);
      this.logger.log(
        `saml single logout from the IdP: contact center ${contactCenterId}, ${users.length} session(s) ended`,
      );
      for (const user of users)
        await this.audit.record({
          type: 'sign_out',
          outcome: 'success',
          actor: user.id,
          target: user.id,
          ...auditOrigin(request),
          detail: { global: false, channel: 'saml_slo', contactCenterId },
        });
      const answer = await logout.answer();
      if (answer.binding === 'post') return sendSamlPostPage(reply, answer.url, answer.form);
      return redirect(reply, answer.url, status);
    } catch (error) {
      if (!(error instanceof SsoFailure)) throw error;
      this.logger.warn(`saml single logout refused (${error.reason}): ${error.detail}`);
      return redirect(reply, errorPage(error.reason), status);
    }
  }

  /** An identity from the IdP, for the browser that started the sign-in: the user, the session, on. */
  private async arrive(request: FastifyRequest, reply: FastifyReply, receive: () => Promise<Arrival>): Promise<void> {
    let user: DirectoryUser;
    let reference: string;
    let identity: Arrival | undefined;
    try {
      identity = await receive();
      reference = identity.reference;
      if (!identity.fresh) {
        const pending = await this.pending.find(reference);
        if (!pending) throw new SsoFailure('sso_expired', 'the pending sign-in has expired');
        if (!this.pending.isSameBrowser(request, pending))
          throw new SsoFailure('sso_unsolicited', 'the answer came to another browser than the one that was sent');
      }
      const resolved = await this.ssoUsers.resolve(identity);
      user = resolved.user;
      this.logger.log(
        `sso sign-in: contact center ${identity.provider.contactCenterId}, subject ${identity.subject}, user ${user.id}`,
      );
      if (resolved.updated.length > 0) {
        // A just-in-time user brought in step with the IdP (its groups, names, e-mail changed there).
        this.logger.log(`sso: just-in-time user ${user.id} updated from the IdP: ${resolved.updated.join(', ')}`);
        await this.audit.record({
          type: 'user_updated',
          outcome: 'success',
          actor: user.id,
          target: user.id,
          ...auditOrigin(request),
          detail: {
            channel: 'sso',
            contactCenterId: identity.provider.contactCenterId,
            fields: resolved.updated.join(','),
            authorities: user.authorities.join(' '),
          },
        });
      }
      await this.audit.record({
        type: 'sign_in',
        outcome: 'success',
        actor: user.id,
        ...auditOrigin(request),
        detail: {
          channel: 'sso',
          protocol: identity.provider.type,
          contactCenterId: identity.provider.contactCenterId,
        },
      });
    } catch (error) {
      if (error instanceof SsoFailure) {
        await this.refused(request, error, identity?.provider.contactCenterId);
        return redirect(reply, errorPage(error.reason));
      }
      if (error instanceof DirectoryUnavailableException) return redirect(reply, errorPage('directory_unavailable'));
      throw error;
    }
    return this.completion.complete(request, reply, reference, user, undefined, {
      saml: identity.saml,
      oidc: identity.oidc,
    });
  }

  /** A refused SSO sign-in: a log line with the detail, an audit event with the reason only. */
  private async refused(request: FastifyRequest, failure: SsoFailure, contactCenterId?: string): Promise<void> {
    this.logger.warn(`sso sign-in refused (${failure.reason}): ${failure.detail}`);
    await this.audit.record({
      type: 'sign_in',
      outcome: 'failure',
      ...(failure.user && { actor: failure.user }),
      ...auditOrigin(request),
      detail: { channel: 'sso', reason: failure.reason, contactCenterId: contactCenterId ?? null },
    });
  }
}

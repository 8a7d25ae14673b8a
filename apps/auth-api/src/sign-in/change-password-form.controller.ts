import { Body, Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  brokenPasswordRules,
  DirectoryUnavailableException,
  parseTenantUserName,
  TooManyFailedAttempts,
} from '@cxauth/domain';
import { ReadOnlyRegionGuard } from '@cxauth/persistence';
import { APP_CONFIG, Consumes, ZodValidationPipe } from '@cxauth/platform';
import { redirect } from '../authorize/authorize.controller';
import { errorPage } from '../authorize/authorization-responder.service';
import { PendingSignInStore } from '../authorize/pending-sign-in.store';
import type { SessionConfig } from '../session/session.config';
import { SessionService } from '../session/session.service';
import { ContactCenterResolver } from '../users/contact-center-resolver';
import { UserAuthenticationService } from '../users/user-authentication.service';
import { CHANGE_PASSWORD_PAGE, padFailure } from './sign-in.controller';
import { ChangePasswordForm, changePasswordFormSchema } from './sign-in.form';
import { UserSignOut } from '../session/user-sign-out.service';

/**
 * POST /auth/v3/sign-in/change-password: the form of change-password.html (user name, current and
 * new password; no session needed, as for an expired password). Ends every session and token of the user.
 * Refused in a read-only region like every other write (403, code 10 READ_ONLY_REGION; FORCE_WRITABLE).
 */
@ApiTags('Browser sign-in')
@Controller('sign-in')
export class ChangePasswordFormController {
  constructor(
    private readonly pending: PendingSignInStore,
    private readonly sessions: SessionService,
    private readonly userSignOut: UserSignOut,
    private readonly contactCenters: ContactCenterResolver,
    private readonly users: UserAuthenticationService,
    @Inject(APP_CONFIG) private readonly config: SessionConfig,
  ) {}

  @Post('change-password')
  @HttpCode(302)
  @UseGuards(ReadOnlyRegionGuard)
  @Consumes('application/x-www-form-urlencoded')
  @ApiOperation({
    summary: 'The change-password form: username, oldPassword, newPassword, confirmPassword, request, csrf',
  })
  @ApiResponse({ status: 302, description: 'To change-password.html?status=changed, or back with an error' })
  async changePassword(
    @Body(new ZodValidationPipe(changePasswordFormSchema)) form: ChangePasswordForm,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const started = Date.now();
    const reference = form.request;
    const pending = await this.pending.find(reference);
    if (!reference || !pending || pending.purpose !== 'change-password')
      return redirect(reply, errorPage('request_expired'));
    if (!this.pending.isAuthentic(request, pending, form.csrf)) return redirect(reply, errorPage('csrf'));
    // What was typed comes back on the page (never the passwords), with the rules that failed.
    pending.username = form.username?.slice(0, 512);
    pending.typedTenant = form.tenant || undefined;
    pending.brokenPasswordRules = undefined;
    const page = (error: string) => `${CHANGE_PASSWORD_PAGE}?request=${reference}&error=${error}`;
    const back = async (error: string) => {
      await this.pending.update(reference, pending);
      redirect(reply, page(error));
    };
    const { tenant, username } = parseTenantUserName(form.username ?? '', form.tenant || null);
    const newPassword = form.newPassword ?? '';
    if (newPassword !== (form.confirmPassword ?? '')) return back('password_mismatch');
    const broken = brokenPasswordRules(newPassword, username);
    if (broken.length > 0) {
      pending.brokenPasswordRules = broken;
      return back('password_policy');
    }
    let outcome;
    try {
      outcome = await this.changeInDirectory(tenant, username, form.oldPassword ?? '', newPassword, request);
    } catch (error) {
      if (error instanceof TooManyFailedAttempts) return redirect(reply, errorPage('too_many_attempts'));
      // An outage is never a wrong password: no failure is counted.
      if (error instanceof DirectoryUnavailableException) return redirect(reply, errorPage('directory_unavailable'));
      throw error;
    }
    if (outcome === 'policy') return back('password_policy');
    if (outcome !== 'changed') {
      await padFailure(started, this.config.SIGN_IN_FAILURE_MIN_MS);
      await this.pending.recordFailure(reference, pending);
      return redirect(reply, page('invalid_credentials'));
    }
    await this.pending.remove(reference);
    const user = await this.users.findUser(form.username ?? '', form.tenant || null);
    if (user) await this.userSignOut.signOutEverywhere(user.id);
    await this.sessions.end(request, reply);
    const locale = pending.locale ? `&locale=${encodeURIComponent(pending.locale)}` : '';
    return redirect(reply, `${CHANGE_PASSWORD_PAGE}?status=changed${locale}`);
  }

  private async changeInDirectory(
    tenant: string | null,
    username: string,
    oldPassword: string,
    newPassword: string,
    request: FastifyRequest,
  ) {
    const contactCenter = tenant && username ? await this.contactCenters.byDomain(tenant) : null;
    if (!contactCenter) return this.users.rejectedPasswordChange(oldPassword);
    return this.users.changePassword(contactCenter, username, oldPassword, newPassword, {
      ip: request.ip,
      requestId: request.id,
      channel: 'browser',
    });
  }
}

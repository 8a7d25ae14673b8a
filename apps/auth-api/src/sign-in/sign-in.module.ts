import { Module } from '@nestjs/common';
import { AuthorizeModule } from '../authorize/authorize.module';
import { SessionModule } from '../session/session.module';
import { SsoModule } from '../sso/sso.module';
import { SsoController } from '../sso/sso.controller';
import { SsoUserResolver } from '../sso/sso-user.resolver';
import { SignInCompletion } from './sign-in-completion.service';
import { ContactCenterResolver } from '../users/contact-center-resolver';
import { UsersModule } from '../users/users.module';
import { AuthSchemeController } from './auth-scheme.controller';
import { ContactCenterBranding } from './contact-center-branding.service';
import { ChangePasswordFormController } from './change-password-form.controller';
import { SignInController } from './sign-in.controller';

/** Browser sign-in: the sign-in and change-password forms, single sign-on, the auth-scheme lookup. */
@Module({
  imports: [AuthorizeModule, SessionModule, UsersModule, SsoModule],
  controllers: [SignInController, SsoController, ChangePasswordFormController, AuthSchemeController],
  providers: [ContactCenterResolver, ContactCenterBranding, SsoUserResolver, SignInCompletion],
})
export class SignInModule {}

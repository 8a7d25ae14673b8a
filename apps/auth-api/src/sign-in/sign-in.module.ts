import { Module } from '@nestjs/common';
import { AuthorizeModule } from '../authorize/authorize.module';
import { SessionModule } from '../session/session.module';
import { ContactCenterResolver } from '../users/contact-center-resolver';
import { UsersModule } from '../users/users.module';
import { AuthSchemeController } from './auth-scheme.controller';
import { ContactCenterBranding } from './contact-center-branding.service';
import { ChangePasswordFormController } from './change-password-form.controller';
import { SignInController } from './sign-in.controller';

/** Browser sign-in: the sign-in and change-password forms, the auth-scheme lookup. */
@Module({
  imports: [AuthorizeModule, SessionModule, UsersModule],
  controllers: [SignInController, ChangePasswordFormController, AuthSchemeController],
  providers: [ContactCenterResolver, ContactCenterBranding],
})
export class SignInModule {}

import { Module } from '@nestjs/common';
import { AuthorizationCodesModule } from '../authorization-codes/authorization-codes.module';
import { ClientsModule } from '../clients/clients.module';
import { SessionModule } from '../session/session.module';
import { SsoModule } from '../sso/sso.module';
import { UsersModule } from '../users/users.module';
import { AuthorizationResponder } from './authorization-responder.service';
import { AuthorizeController } from './authorize.controller';
import { PendingSignInStore } from './pending-sign-in.store';

/** GET /auth/v3/oauth/authorize and the pending sign-ins it hands to the sign-in page. */
@Module({
  imports: [ClientsModule, SessionModule, AuthorizationCodesModule, UsersModule, SsoModule],
  controllers: [AuthorizeController],
  providers: [PendingSignInStore, AuthorizationResponder],
  exports: [PendingSignInStore, AuthorizationResponder],
})
export class AuthorizeModule {}

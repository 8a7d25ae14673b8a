import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { OpsSecurityModule } from '@cxauth/platform';
import { ClientAuthentication } from './client-authentication.service';
import { ClientAuthenticator } from './client-authenticator.service';
import { ClientAssertionStrategy, ClientBasicStrategy, ClientPostStrategy, ClientPublicStrategy } from './strategies';

/** OAuth client authentication with passport strategies (ClientsModule is global). */
@Module({
  imports: [PassportModule.register({ session: false }), OpsSecurityModule],
  providers: [
    ClientAuthenticator,
    ClientAuthentication,
    ClientBasicStrategy,
    ClientPostStrategy,
    ClientPublicStrategy,
    ClientAssertionStrategy,
  ],
  exports: [ClientAuthenticator, ClientAuthentication],
})
export class ClientAuthModule {}

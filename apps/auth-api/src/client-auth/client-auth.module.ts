import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { ClientAuthGuard, TokenEndpointClientGuard } from './client-auth.guard';
import { ClientAuthenticator } from './client-authenticator.service';
import { ClientAssertionStrategy, ClientBasicStrategy, ClientPostStrategy, ClientPublicStrategy } from './strategies';

/** OAuth client authentication with passport strategies (ClientsModule is global). */
@Module({
  imports: [PassportModule.register({ session: false })],
  providers: [
    ClientAuthenticator,
    ClientBasicStrategy,
    ClientPostStrategy,
    ClientPublicStrategy,
    ClientAssertionStrategy,
    TokenEndpointClientGuard,
    ClientAuthGuard,
  ],
  exports: [ClientAuthenticator, TokenEndpointClientGuard, ClientAuthGuard],
})
export class ClientAuthModule {}

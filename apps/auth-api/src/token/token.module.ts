import { Module } from '@nestjs/common';
import { ClientAuthModule } from '../client-auth/client-auth.module';
import { SessionModule } from '../session/session.module';
import { TokensModule } from '../tokens/tokens.module';
import { UsersModule } from '../users/users.module';
import { GrantRegistry } from './grant-registry';
import { AuthorizationCodeGrant } from './grants/authorization-code.grant';
import { ClientCredentialsGrant } from './grants/client-credentials.grant';
import { GRANT_HANDLERS, GrantHandler } from './grants/grant-handler';
import { JwtBearerGrant } from './grants/jwt-bearer.grant';
import { PasswordGrant } from './grants/password.grant';
import { RefreshTokenGrant } from './grants/refresh-token.grant';
import { TokenExchangeGrant } from './grants/token-exchange.grant';
import { TokenEndpoint } from './token.endpoint';

const GRANTS = [
  ClientCredentialsGrant,
  PasswordGrant,
  RefreshTokenGrant,
  AuthorizationCodeGrant,
  TokenExchangeGrant,
  JwtBearerGrant,
];

@Module({
  imports: [ClientAuthModule, TokensModule, UsersModule, SessionModule],
  providers: [
    TokenEndpoint,
    ...GRANTS,
    { provide: GRANT_HANDLERS, useFactory: (...handlers: GrantHandler[]) => handlers, inject: GRANTS },
    GrantRegistry,
  ],
  exports: [GrantRegistry],
})
export class TokenModule {}

import { Global, Module } from '@nestjs/common';
import { TOKEN_STORE } from '@cxauth/domain';
import { CryptoModule } from '../crypto/crypto.module';
import { KeyRing } from '../signing-keys/key-ring.service';
import { BearerAuthentication, BearerTokenGuard } from './bearer-token.guard';
import { RedisTokenStore } from './redis-token.store';
import { PendingFamilyRevocations } from './pending-family-revocations';
import { RefreshTokenService } from './refresh-token.service';
import { TokenService } from './token.service';

/** Token minting, validation and revocation; global so any feature can use BearerTokenGuard. */
@Global()
@Module({
  imports: [CryptoModule],
  providers: [
    { provide: TOKEN_STORE, useClass: RedisTokenStore },
    RefreshTokenService,
    PendingFamilyRevocations,
    KeyRing,
    TokenService,
    BearerAuthentication,
    BearerTokenGuard,
  ],
  exports: [TOKEN_STORE, RefreshTokenService, KeyRing, TokenService, BearerAuthentication, BearerTokenGuard],
})
export class TokensModule {}

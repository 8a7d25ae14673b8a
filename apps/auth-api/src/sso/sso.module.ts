import { Module } from '@nestjs/common';
import { CryptoModule } from '../crypto/crypto.module';
import { IdentityProviderRegistry } from './identity-provider.registry';
import { OidcRelyingParty } from './oidc-relying-party';

/** Single sign-on: the contact centers' identity providers and the OIDC relying party. */
@Module({
  imports: [CryptoModule],
  providers: [IdentityProviderRegistry, OidcRelyingParty],
  exports: [IdentityProviderRegistry, OidcRelyingParty],
})
export class SsoModule {}

import { Module } from '@nestjs/common';
import { OpsSecurityModule } from '@cxauth/platform';
import { CryptoModule } from '../crypto/crypto.module';
import { IdentityProviderRegistry } from './identity-provider.registry';
import { OidcRelyingParty } from './oidc-relying-party';
import { SamlIdpMetadataSource } from './saml-idp-metadata.source';
import { SamlServiceProvider } from './saml-service-provider';
import { SsoAccountLockout } from './sso-account-lockout';
import { SsoRedirect } from './sso-redirect.service';

/** Single sign-on: the contact centers' identity providers, the OIDC relying party and the SAML service provider. */
@Module({
  imports: [CryptoModule, OpsSecurityModule],
  providers: [
    IdentityProviderRegistry,
    OidcRelyingParty,
    SamlIdpMetadataSource,
    SamlServiceProvider,
    SsoRedirect,
    SsoAccountLockout,
  ],
  exports: [IdentityProviderRegistry, OidcRelyingParty, SamlServiceProvider, SsoRedirect, SsoAccountLockout],
})
export class SsoModule {}

import type { OidcSignIn, SamlSignIn } from '../session/session.service';
import type { ActiveIdentityProvider } from './identity-provider.registry';

/** An identity an IdP vouched for: its claims (OIDC) or attributes and NameID (SAML), checked. */
export interface SsoIdentity {
  provider: ActiveIdentityProvider;
  /** The IdP's subject (OIDC `sub`, SAML NameID), for the log. */
  subject: string;
  claims: Record<string, unknown>;
  /** SAML: the NameID and SessionIndex single logout names the session by. */
  saml?: SamlSignIn;
  /** OIDC: the IdP's id_token (sealed), for RP-initiated logout at the IdP. */
  oidc?: OidcSignIn;
}

import { Inject, Injectable } from '@nestjs/common';
import * as oidc from 'openid-client';
import { sha256Hex } from '@cxauth/domain';
import { APP_CONFIG, REDIS, RedisClient, SecretBox } from '@cxauth/platform';
import type { OidcSignIn } from '../session/session.service';
import { type ActiveOidcProvider, IdentityProviderRegistry } from './identity-provider.registry';
import type { SsoIdentity } from './sso-identity';
import { SsoFailure } from './sso-failure';
import type { SsoConfig } from './sso.config';

/** The callback registered at the identity provider: `<PUBLIC_BASE_URL>/auth/v3/sign-in/oidc/callback`. */
export const OIDC_CALLBACK_PATH = '/auth/v3/sign-in/oidc/callback';

/** What the browser's trip to the IdP must come back to (in Redis under a hash of `state`). */
interface OidcState {
  /** The pending sign-in (sign-in page reference) the IdP's answer continues. */
  reference: string;
  contactCenterId: string;
  version: string;
  codeVerifier: string;
  nonce: string;
}

/**
 * Where the IdP's end-session endpoint sends the browser back after RP-initiated logout
 * (`post_logout_redirect_uri`, registered at the IdP beside the callback).
 */
export const OIDC_SIGNED_OUT_PATH = '/auth/v3/sign-in/oidc/signed-out';

/** The SecretBox purpose of an IdP's id_token kept with a browser session. */
const ID_TOKEN_SEAL = 'session.oidc-id-token';

/** Where an RP-initiated logout at the IdP continues (in Redis under a hash of its `state`). */
interface OidcLogoutState {
  contactCenterId: string;
  /** Where sign-out sends the browser: the signed-out page, or the application's checked target. */
  location: string;
}

const stateKey = (state: string) => `sso:oidc-state:${sha256Hex(state)}`;
const logoutStateKey = (state: string) => `sso:oidc-logout:${sha256Hex(state)}`;

/**
 * OpenID Connect relying party (openid-client): the authorization code flow with PKCE (S256), `state`
 * (single use, bound to one pending sign-in) and `nonce`; openid-client validates the id_token
 * (signature against the IdP's JWKS, issuer, audience, expiry, nonce) and the userinfo subject.
 */
@Injectable()
export class OidcRelyingParty {
  constructor(
    private readonly registry: IdentityProviderRegistry,
    private readonly secrets: SecretBox,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: SsoConfig & { PUBLIC_BASE_URL: string },
  ) {}

  /** The IdP's authorization URL for this pending sign-in; `loginHint` pre-fills the IdP's user name. */
  async start(provider: ActiveOidcProvider, reference: string, loginHint?: string): Promise<string> {
    const configuration = await this.registry.oidcConfiguration(provider);
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const record: OidcState = {
      reference,
      contactCenterId: provider.contactCenterId,
      version: provider.version,
      codeVerifier,
      nonce,
    };
    await this.redis.set(stateKey(state), JSON.stringify(record), 'EX', this.config.SSO_STATE_TIMEOUT_SECONDS);
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.callbackUrl(),
      scope: provider.settings.scopes.join(' '),
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...(loginHint && { login_hint: loginHint }),
    });
    return url.href;
  }

  /** Checks the IdP's answer (the callback's query) and returns the identity; SsoFailure otherwise. */
  async finish(query: URLSearchParams): Promise<SsoIdentity & { reference: string }> {
    const state = query.get('state');
    if (!state || state.length > 512) throw new SsoFailure('sso_unsolicited', 'a callback without state');
    // Single use: a replayed callback finds nothing.
    const raw = await this.redis.getdel(stateKey(state));
    if (!raw) throw new SsoFailure('sso_expired', 'unknown, used or expired state');
    const record = JSON.parse(raw) as OidcState;
    const error = query.get('error');
    if (error) throw new SsoFailure('sso_idp_error', `the identity provider answered ${error.slice(0, 100)}`);
    const provider = await this.registry.forContactCenter(record.contactCenterId);
    if (!provider || provider.type !== 'oidc')
      throw new SsoFailure('sso_unknown_idp', `contact center ${record.contactCenterId} has no enabled OIDC provider`);
    const configuration = await this.registry.oidcConfiguration(provider);
    const currentUrl = new URL(this.callbackUrl());
    currentUrl.search = query.toString();
    let claims: Record<string, unknown>;
    let subject: string;
    let idTokenJwt: string;
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: record.codeVerifier,
        expectedState: state,
        expectedNonce: record.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims();
      if (!idToken || !tokens.id_token)
        throw new SsoFailure('sso_invalid_response', 'the token response has no id_token');
      idTokenJwt = tokens.id_token;
      subject = idToken.sub;
      claims = { ...idToken };
      if (configuration.serverMetadata().userinfo_endpoint) {
        Object.assign(claims, await oidc.fetchUserInfo(configuration, tokens.access_token, subject));
      }
    } catch (error) {
      if (error instanceof SsoFailure) throw error;
      throw new SsoFailure('sso_invalid_response', describe(error));
    }
    // Kept with the session for RP-initiated logout, sealed (bound to the contact center) like other secrets at rest.
    const oidcSignIn: OidcSignIn = {
      contactCenterId: provider.contactCenterId,
      sealedIdToken: this.secrets.seal(idTokenJwt, { purpose: ID_TOKEN_SEAL, id: provider.contactCenterId }),
    };
    return { provider, reference: record.reference, subject, claims, oidc: oidcSignIn };
  }

  /**
   * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0), for a session already ended here:
   * the IdP's `end_session_endpoint` with the session's id_token as `id_token_hint`, our
   * `post_logout_redirect_uri` and a fresh single-use `state` that remembers where the browser goes
   * afterwards (`afterwards`). Null when the provider is gone, switched off or changed to SAML, or its
   * discovery document has no end_session_endpoint; throws when the IdP cannot be asked.
   */
  async logoutUrl(signIn: OidcSignIn, afterwards: string): Promise<string | null> {
    const provider = await this.registry.forContactCenter(signIn.contactCenterId);
    if (!provider || provider.type !== 'oidc') return null;
    const configuration = await this.registry.oidcConfiguration(provider);
    if (!configuration.serverMetadata().end_session_endpoint) return null;
    const idToken = this.secrets.open(signIn.sealedIdToken, { purpose: ID_TOKEN_SEAL, id: signIn.contactCenterId });
    const state = oidc.randomState();
    const record: OidcLogoutState = { contactCenterId: signIn.contactCenterId, location: afterwards };
    await this.redis.set(logoutStateKey(state), JSON.stringify(record), 'EX', this.config.SSO_STATE_TIMEOUT_SECONDS);
    return oidc.buildEndSessionUrl(configuration, {
      id_token_hint: idToken,
      post_logout_redirect_uri: this.url(OIDC_SIGNED_OUT_PATH),
      state,
    }).href;
  }

  /** The IdP's return from its end-session endpoint: where sign-out sends the browser now (single use). */
  async finishLogout(query: URLSearchParams): Promise<string> {
    const state = query.get('state');
    if (!state || state.length > 512) throw new SsoFailure('sso_unsolicited', 'a logout return without state');
    const raw = await this.redis.getdel(logoutStateKey(state));
    if (!raw) throw new SsoFailure('sso_expired', 'unknown, used or expired logout state');
    return (JSON.parse(raw) as OidcLogoutState).location;
  }

  private callbackUrl(): string {
    return this.url(OIDC_CALLBACK_PATH);
  }

  private url(path: string): string {
    return `${this.config.PUBLIC_BASE_URL.replace(/\/+$/, '')}${path}`;
  }
}

/** The library's reason (error code and message; never a token). */
function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${typeof code === 'string' ? `${code}: ` : ''}${error.message}`.slice(0, 300);
  }
  return 'unexpected failure';
}

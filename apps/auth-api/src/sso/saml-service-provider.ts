import { createVerify, randomBytes } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { Inject, Injectable } from '@nestjs/common';
import { type CacheProvider, type Profile, SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { signSamlPost } from '@node-saml/node-saml/lib/saml-post-signing';
import { getVerifiedXml, parseDomFromString } from '@node-saml/node-saml/lib/xml';
import { DOMParser } from '@xmldom/xmldom';
import { sha256Hex } from '@cxauth/domain';
import { APP_CONFIG, REDIS, RedisClient } from '@cxauth/platform';
import { type ActiveSamlProvider, IdentityProviderRegistry } from './identity-provider.registry';
import type { SamlSignIn } from '../session/session.service';
import { SamlIdpMetadataSource } from './saml-idp-metadata.source';
import { SsoFailure } from './sso-failure';
import type { SsoIdentity } from './sso-identity';
import type { SsoConfig } from './sso.config';

const SAML_ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';
const SAML_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
/** Signature algorithms accepted on HTTP-Redirect messages (no SHA-1). */
const REDIRECT_SIGNATURE_ALGORITHMS: Record<string, string> = {
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'RSA-SHA256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'RSA-SHA512',
};
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
/** Where node-saml's XML signature goes in our HTTP-POST logout messages (the root element). */
const rootXPath = (name: 'LogoutRequest' | 'LogoutResponse') =>
  `/*[local-name(.)="${name}" and namespace-uri(.)="${SAML_PROTOCOL}"]`;

/** The SP's endpoints of a contact center under `/auth/v3/sign-in/saml/<contact-center-id>/`. */
export const samlPath = (contactCenterId: string, endpoint: 'metadata' | 'acs' | 'slo') =>
  `/auth/v3/sign-in/saml/${contactCenterId}/${endpoint}`;

const relayKey = (relayState: string) => `sso:saml-relay:${sha256Hex(relayState)}`;
const logoutRequestKey = (idp: string, id: string) => `sso:saml-logout-request:${sha256Hex(`${idp}\n${id}`)}`;
const logoutRelayKey = (relayState: string) => `sso:saml-logout:${sha256Hex(relayState)}`;
const ticketKey = (ticket: string) => `sso:saml-ticket:${sha256Hex(ticket)}`;
/** A checked response waits this long for the browser's next request (a redirect away). */
const TICKET_SECONDS = 60;
const requestKey = (contactCenterId: string, id: string) =>
  `sso:saml-request:${sha256Hex(`${contactCenterId}\n${id}`)}`;
const assertionKey = (idp: string, id: string) => `sso:saml-assertion:${sha256Hex(`${idp}\n${id}`)}`;

interface RelayRecord {
  reference: string;
  contactCenterId: string;
}

/** Where an SP-initiated logout waits for the IdP's LogoutResponse. */
interface LogoutRelay {
  contactCenterId: string;
  requestId: string;
  location: string;
}

/** A single logout message from the IdP, as the browser brought it. */
export type SamlLogoutMessage =
  | { binding: 'redirect'; query: Record<string, unknown>; rawQuery: string }
  | { binding: 'post'; form: Record<string, unknown> };

/**
 * A checked logout message: the IdP's answer to our LogoutRequest (where the browser goes now), or its
 * own LogoutRequest (the sessions to end, then `answer` with a signed LogoutResponse).
 */
export type SamlLogout =
  | { kind: 'response'; location: string }
  | { kind: 'request'; signIn: SamlSignIn; answer: () => Promise<SamlOutgoing> };

/**
 * How a signed SAML message goes to the IdP through the browser: a URL carrying it (HTTP-Redirect), or
 * a form the browser posts to the IdP's URL (HTTP-POST: SAMLRequest or SAMLResponse, XML-signed, and RelayState).
 */
export type SamlOutgoing =
  | { binding: 'redirect'; url: string }
  | { binding: 'post'; url: string; form: Record<string, string> };

/** A checked SAML response: the identity, and the pending sign-in it answers (null: IdP-initiated). */
export interface SamlResult extends SsoIdentity {
  reference: string | null;
}

/**
 * SAML 2.0 service provider (@node-saml/node-saml) per contact center: signed AuthnRequests over
 * HTTP-Redirect or HTTP-POST, responses over HTTP-POST. node-saml checks the XML signatures against the IdP's
 * certificates (only signed content is read, the defence against signature wrapping), the Issuer,
 * the audience, InResponseTo (our request ids in Redis, single use) and NotBefore/NotOnOrAfter with
 * `SSO_CLOCK_SKEW_SECONDS`; here the Recipient and Destination are checked against our ACS URL and
 * each assertion id is accepted once (Redis).
 */
@Injectable()
export class SamlServiceProvider {
  private readonly instances = new Map<string, { version: string; saml: Promise<SAML> }>();

  constructor(
    private readonly registry: IdentityProviderRegistry,
    private readonly idpMetadata: SamlIdpMetadataSource,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: SsoConfig & { PUBLIC_BASE_URL: string },
  ) {}

  /** The SP's entity ID: its metadata URL. */
  entityId(contactCenterId: string): string {
    return this.url(samlPath(contactCenterId, 'metadata'));
  }

  acsUrl(contactCenterId: string): string {
    return this.url(samlPath(contactCenterId, 'acs'));
  }

  async metadata(stored: ActiveSamlProvider): Promise<string> {
    const provider = await this.idpMetadata.current(stored);
    const { spCertificate, wantAssertionsEncrypted } = provider.settings;
    // The one SP key pair signs requests and, where encryption is required, decrypts assertions.
    return (await this.saml(provider)).generateServiceProviderMetadata(
      wantAssertionsEncrypted ? spCertificate : null,
      spCertificate,
    );
  }

  /**
   * A signed AuthnRequest for this pending sign-in, over the provider's `authnRequestBinding`: the IdP's
   * SSO URL with the request and its RSA-SHA256 query signature (HTTP-Redirect), or the SSO URL and the
   * form fields to post there, the request signed as XML by node-saml (HTTP-POST).
   */
  async start(stored: ActiveSamlProvider, reference: string): Promise<SamlOutgoing> {
    const provider = await this.idpMetadata.current(stored);
    const saml = await this.saml(provider);
    const relayState = randomBytes(32).toString('base64url');
    const record: RelayRecord = { reference, contactCenterId: provider.contactCenterId };
    await this.redis.set(relayKey(relayState), JSON.stringify(record), 'EX', this.config.SSO_STATE_TIMEOUT_SECONDS);
    if (provider.settings.authnRequestBinding !== 'post')
      return { binding: 'redirect', url: await saml.getAuthorizeUrlAsync(relayState, undefined, {}) };
    // The fields of node-saml's getAuthorizeFormAsync, whose page needs inline script our CSP forbids.
    const message = await saml.getAuthorizeMessageAsync(relayState, undefined, {});
    // node-saml deflates it as for HTTP-Redirect; the HTTP-POST binding carries the XML itself (base64). The
    // enveloped XML signature is inside, untouched by the encoding.
    const xml = inflateRawSync(Buffer.from(String(message.SAMLRequest), 'base64'));
    return {
      binding: 'post',
      url: provider.settings.ssoUrl,
      form: { SAMLRequest: xml.toString('base64'), RelayState: relayState },
    };
  }

  /** Checks a response posted to the ACS of `contactCenterId`; SsoFailure when anything is wrong. */
  async finish(contactCenterId: string, form: Record<string, unknown>): Promise<SamlResult> {
    const stored = await this.registry.forContactCenter(contactCenterId);
    if (!stored || stored.type !== 'saml')
      throw new SsoFailure('sso_unknown_idp', `contact center ${contactCenterId} has no enabled SAML provider`);
    let provider = await this.idpMetadata.current(stored);
    const response = typeof form.SAMLResponse === 'string' ? form.SAMLResponse : '';
    if (!response) throw new SsoFailure('sso_invalid_response', 'no SAMLResponse');
    const responseElement = parse(Buffer.from(response, 'base64').toString('utf8')).documentElement;
    if (provider.settings.wantAssertionsEncrypted && !isEncrypted(responseElement))
      throw new SsoFailure('sso_invalid_response', 'the assertion is not encrypted, which this provider requires');
    const inResponseTo = responseElement?.getAttribute('InResponseTo');
    const pendingRequest = inResponseTo ? await this.redis.get(requestKey(contactCenterId, inResponseTo)) : null;
    let profile: Profile | null;
    try {
      profile = await this.validate(provider, response);
    } catch (error) {
      // A key we do not know may be the IdP's next one (a rollover): its metadata again, then once more.
      const renewed = isSignatureError(error) ? await this.idpMetadata.rollover(stored) : null;
      if (!renewed) throw error;
      // node-saml forgot our request id at the failure; nothing was accepted, so the new keys may try it once.
      if (inResponseTo && pendingRequest)
        await this.redis.set(
          requestKey(contactCenterId, inResponseTo),
          pendingRequest,
          'EX',
          this.config.SSO_STATE_TIMEOUT_SECONDS,
        );
      provider = renewed;
      profile = await this.validate(provider, response);
    }
    if (!profile?.nameID) throw new SsoFailure('sso_invalid_response', 'no NameID in the assertion');
    const acs = this.acsUrl(contactCenterId);
    const assertion = parse(profile.getAssertionXml?.() ?? '').documentElement;
    if (assertion?.localName !== 'Assertion') throw new SsoFailure('sso_invalid_response', 'no signed assertion');
    // node-saml checks the issuer of logout messages only: the signed assertion's (and the response's) is checked here.
    const issuers = [assertion, responseElement].map((element) => (element ? childText(element, 'Issuer') : null));
    if (issuers[0] !== provider.settings.idpEntityId || (issuers[1] !== null && issuers[1] !== issuers[0]))
      throw new SsoFailure('sso_invalid_response', `Issuer ${String(issuers[0]).slice(0, 200)} is not this provider`);
    const destination = responseElement?.getAttribute('Destination');
    if (destination && destination !== acs)
      throw new SsoFailure('sso_invalid_response', `Destination ${destination.slice(0, 200)} is not this ACS`);
    const confirmations = asArray(assertion.getElementsByTagNameNS(SAML_ASSERTION, 'SubjectConfirmation'));
    const bearer = confirmations.filter((element) => element.getAttribute('Method') === BEARER);
    const recipients = bearer.flatMap((element) =>
      asArray(element.getElementsByTagNameNS(SAML_ASSERTION, 'SubjectConfirmationData')).map((data) =>
        data.getAttribute('Recipient'),
      ),
    );
    if (recipients.length === 0 || recipients.some((recipient) => recipient !== acs))
      throw new SsoFailure('sso_invalid_response', `Recipient ${String(recipients[0]).slice(0, 200)} is not this ACS`);
    const assertionId = assertion.getAttribute('ID');
    if (!assertionId) throw new SsoFailure('sso_invalid_response', 'the assertion has no ID');
    // One-time assertions: remembered until their validity (plus skew) is over, so a replay within it is caught.
    const ttl = this.replayWindowSeconds(assertion);
    const first = await this.redis.set(assertionKey(provider.settings.idpEntityId, assertionId), '1', 'EX', ttl, 'NX');
    if (first !== 'OK') throw new SsoFailure('sso_expired', `assertion ${assertionId.slice(0, 100)} was already used`);
    const relayState = typeof form.RelayState === 'string' ? form.RelayState : '';
    let reference: string | null = null;
    if (inResponseTo) {
      const raw = relayState && relayState.length <= 128 ? await this.redis.getdel(relayKey(relayState)) : null;
      const relay = raw ? (JSON.parse(raw) as RelayRecord) : null;
      if (!relay || relay.contactCenterId !== contactCenterId)
        throw new SsoFailure('sso_expired', 'unknown, used or expired RelayState');
      reference = relay.reference;
    } else if (!provider.settings.allowIdpInitiated) {
      throw new SsoFailure('sso_unsolicited', 'an IdP-initiated response, which this provider does not allow');
    }
    const attributes = (profile.attributes ?? {}) as Record<string, unknown>;
    return {
      provider,
      reference,
      subject: profile.nameID,
      claims: { ...attributes, NameID: profile.nameID },
      saml: {
        contactCenterId,
        nameId: profile.nameID,
        ...(profile.nameIDFormat && { nameIdFormat: profile.nameIDFormat }),
        ...(profile.sessionIndex && { sessionIndex: profile.sessionIndex }),
      },
    };
  }

  /**
   * Keeps a checked result for the browser's next request. The ACS is a cross-site POST, which does not
   * carry the SameSite cookie binding the sign-in to the browser; the redirect after it does.
   */
  async issueTicket(result: SamlResult): Promise<string> {
    const ticket = randomBytes(32).toString('base64url');
    const { provider, ...rest } = result;
    const record = { ...rest, contactCenterId: provider.contactCenterId };
    await this.redis.set(ticketKey(ticket), JSON.stringify(record), 'EX', TICKET_SECONDS);
    return ticket;
  }

  /** The result a ticket stands for, once. */
  async redeemTicket(ticket: string): Promise<SamlResult> {
    const raw = await this.redis.getdel(ticketKey(ticket));
    if (!raw) throw new SsoFailure('sso_expired', 'unknown, used or expired ticket');
    const { contactCenterId, ...rest } = JSON.parse(raw) as Omit<SamlResult, 'provider'> & { contactCenterId: string };
    const provider = await this.registry.forContactCenter(contactCenterId);
    if (!provider || provider.type !== 'saml')
      throw new SsoFailure('sso_unknown_idp', `contact center ${contactCenterId} has no enabled SAML provider`);
    return { ...rest, provider };
  }

  /**
   * SP-initiated single logout, for a session already ended here: a signed LogoutRequest naming the
   * session's NameID and SessionIndex to the IdP's single logout URL, over the provider's
   * `logoutRequestBinding` (HTTP-Redirect: a URL with the query signature; HTTP-POST: a form, the XML
   * signed by node-saml); its answer comes to our `slo` endpoint, which then sends the browser to
   * `afterwards`. Null when the provider is gone or the IdP has no single logout URL.
   */
  async logoutUrl(signIn: SamlSignIn, afterwards: string): Promise<SamlOutgoing | null> {
    const stored = await this.registry.forContactCenter(signIn.contactCenterId);
    if (stored?.type !== 'saml') return null;
    const provider = await this.idpMetadata.current(stored);
    if (!provider.settings.sloUrl) return null;
    const saml = await this.saml(provider);
    const relayState = randomBytes(32).toString('base64url');
    const subject: Profile = {
      issuer: provider.settings.idpEntityId,
      nameID: signIn.nameId,
      nameIDFormat: signIn.nameIdFormat ?? provider.settings.nameIdFormat,
      ...(signIn.sessionIndex && { sessionIndex: signIn.sessionIndex }),
    };
    let outgoing: SamlOutgoing;
    let requestXml: string;
    if (provider.settings.logoutRequestBinding === 'post') {
      requestXml = signedForPost(saml, await saml._generateLogoutRequest(subject), 'LogoutRequest');
      const form = { SAMLRequest: Buffer.from(requestXml).toString('base64'), RelayState: relayState };
      outgoing = { binding: 'post', url: provider.settings.sloUrl, form };
    } else {
      const url = await saml.getLogoutUrlAsync(subject, relayState, {});
      const request = new URL(url).searchParams.get('SAMLRequest') ?? '';
      requestXml = inflateRawSync(Buffer.from(request, 'base64')).toString('utf8');
      outgoing = { binding: 'redirect', url };
    }
    const requestId = parse(requestXml).documentElement?.getAttribute('ID');
    if (!requestId) throw new Error('node-saml wrote a LogoutRequest without ID');
    const relay: LogoutRelay = { contactCenterId: signIn.contactCenterId, requestId, location: afterwards };
    await this.redis.set(
      logoutRelayKey(relayState),
      JSON.stringify(relay),
      'EX',
      this.config.SSO_STATE_TIMEOUT_SECONDS,
    );
    return outgoing;
  }

  /**
   * Checks a single logout message at the `slo` endpoint of `contactCenterId`: signed by the IdP (an
   * unsigned message is refused, whatever the binding), from its entity ID, within its validity; a
   * LogoutResponse must answer our pending LogoutRequest of this RelayState (single use) with Success.
   */
  async logout(contactCenterId: string, message: SamlLogoutMessage): Promise<SamlLogout> {
    const stored = await this.registry.forContactCenter(contactCenterId);
    if (!stored || stored.type !== 'saml')
      throw new SsoFailure('sso_unknown_idp', `contact center ${contactCenterId} has no enabled SAML provider`);
    const provider = await this.idpMetadata.current(stored);
    const { sloUrl, idpEntityId } = provider.settings;
    if (!sloUrl) throw new SsoFailure('sso_unknown_idp', `contact center ${contactCenterId}: no IdP sloUrl configured`);
    const fields = message.binding === 'redirect' ? message.query : message.form;
    const text = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string) : '');
    const isRequest = Boolean(text('SAMLRequest'));
    const encoded = text('SAMLRequest') || text('SAMLResponse');
    const relayState = text('RelayState');
    if (!encoded || encoded.length > 64 * 1024 || relayState.length > 1024)
      throw new SsoFailure('sso_invalid_response', 'no SAMLRequest or SAMLResponse');
    const saml = await this.saml(provider);
    let xml: string;
    let profile: Profile | null;
    try {
      if (message.binding === 'redirect') {
        // node-saml takes an unsigned HTTP-Redirect message as valid: the signature is required here.
        this.checkRedirectSignature(provider, message.rawQuery, isRequest ? 'SAMLRequest' : 'SAMLResponse');
        xml = inflateRawSync(Buffer.from(encoded, 'base64'), { maxOutputLength: 256 * 1024 }).toString('utf8');
        profile = (await saml.validateRedirectAsync(fields as Record<string, string>, message.rawQuery)).profile;
      } else {
        xml = Buffer.from(encoded, 'base64').toString('utf8');
        if (isRequest) profile = (await saml.validatePostRequestAsync({ SAMLRequest: encoded })).profile;
        else {
          // node-saml's validatePostResponseAsync wants the InResponseTo of a login Response: the enveloped
          // signature is checked here with its helper, the rest (InResponseTo, status) below.
          const verified = getVerifiedXml(
            xml,
            (await parseDomFromString(xml)).documentElement,
            provider.settings.signingCertificates,
          );
          if (!verified) throw new SsoFailure('sso_invalid_response', 'invalid signature on the LogoutResponse');
          xml = verified;
          profile = null;
        }
      }
    } catch (error) {
      if (error instanceof SsoFailure) throw error;
      const detail = error instanceof Error ? error.message : 'unexpected failure';
      throw new SsoFailure('sso_invalid_response', `logout message refused: ${detail.slice(0, 300)}`);
    }
    // The whole message is signed (checked above), so its own elements can be read.
    const root = parse(xml).documentElement;
    const expected = isRequest ? 'LogoutRequest' : 'LogoutResponse';
    if (root?.namespaceURI !== SAML_PROTOCOL || root.localName !== expected)
      throw new SsoFailure('sso_invalid_response', `not a ${expected}`);
    if (childText(root, 'Issuer') !== idpEntityId)
      throw new SsoFailure('sso_invalid_response', 'the logout message is not from this provider');
    const destination = root.getAttribute('Destination');
    if (destination && destination !== this.url(samlPath(contactCenterId, 'slo')))
      throw new SsoFailure('sso_invalid_response', `Destination ${destination.slice(0, 200)} is not this endpoint`);
    if (isRequest) {
      if (!profile?.nameID || !profile.ID) throw new SsoFailure('sso_invalid_response', 'no NameID or ID');
      // One-time LogoutRequests, so a replayed one cannot end a later sign-in of the same NameID.
      const first = await this.redis.set(
        logoutRequestKey(idpEntityId, profile.ID),
        '1',
        'EX',
        this.config.SSO_STATE_TIMEOUT_SECONDS,
        'NX',
      );
      if (first !== 'OK') throw new SsoFailure('sso_expired', 'this LogoutRequest was already received');
      const answered = profile;
      return {
        kind: 'request',
        signIn: {
          contactCenterId,
          nameId: profile.nameID,
          ...(profile.sessionIndex && { sessionIndex: profile.sessionIndex }),
        },
        // Over the binding the provider takes logout messages in (its sloUrl is of that binding).
        answer: async (): Promise<SamlOutgoing> => {
          if (provider.settings.logoutRequestBinding !== 'post')
            return { binding: 'redirect', url: await saml.getLogoutResponseUrlAsync(answered, relayState, {}, true) };
          const xml = signedForPost(saml, saml._generateLogoutResponse(answered, true), 'LogoutResponse');
          const form: Record<string, string> = { SAMLResponse: Buffer.from(xml).toString('base64') };
          if (relayState) form.RelayState = relayState;
          return { binding: 'post', url: sloUrl, form };
        },
      };
    }
    const raw = relayState ? await this.redis.getdel(logoutRelayKey(relayState)) : null;
    const relay = raw ? (JSON.parse(raw) as LogoutRelay) : null;
    if (!relay || relay.contactCenterId !== contactCenterId)
      throw new SsoFailure('sso_expired', 'unknown, used or expired logout RelayState');
    if (root.getAttribute('InResponseTo') !== relay.requestId)
      throw new SsoFailure('sso_invalid_response', 'the LogoutResponse answers another request');
    const status = asArray(root.getElementsByTagNameNS(SAML_PROTOCOL, 'StatusCode'))[0]?.getAttribute('Value');
    if (status !== SUCCESS)
      throw new SsoFailure('sso_invalid_response', `logout status ${String(status).slice(0, 100)}`);
    return { kind: 'response', location: relay.location };
  }

  /** The RSA signature of an HTTP-Redirect message (SAML bindings 3.4.4.1) by one of the IdP's certificates. */
  private checkRedirectSignature(provider: ActiveSamlProvider, rawQuery: string, message: string): void {
    const pairs = rawQuery.split('&');
    const pick = (name: string) => pairs.find((pair) => pair.startsWith(`${name}=`));
    const value = (name: string) =>
      decodeURIComponent(
        pick(name)
          ?.slice(name.length + 1)
          .replace(/\+/g, ' ') ?? '',
      );
    const algorithm = REDIRECT_SIGNATURE_ALGORITHMS[value('SigAlg')];
    const signature = value('Signature');
    if (!signature || !algorithm)
      throw new SsoFailure('sso_invalid_response', 'an unsigned (or SHA-1 signed) logout message');
    const signed = [pick(message), pick('RelayState'), pick('SigAlg')].filter(Boolean).join('&');
    const valid = provider.settings.signingCertificates.some((certificate) =>
      createVerify(algorithm).update(signed).verify(certificate, signature, 'base64'),
    );
    if (!valid) throw new SsoFailure('sso_invalid_response', 'invalid signature on the logout message');
  }

  /** node-saml's checks of a posted response; its refusals as SsoFailure. */
  private async validate(provider: ActiveSamlProvider, response: string): Promise<Profile | null> {
    const saml = await this.saml(provider);
    try {
      return (await saml.validatePostResponseAsync({ SAMLResponse: response })).profile;
    } catch (error) {
      const message = error instanceof Error ? error.message : 'unexpected failure';
      // No InResponseTo: unsolicited. One we did not issue, or already answered (a replay): expired.
      const reason = /InResponseTo is missing/.test(message)
        ? 'sso_unsolicited'
        : /InResponseTo is not valid|SubjectInResponseTo is not valid/.test(message)
          ? 'sso_expired'
          : 'sso_invalid_response';
      throw new SsoFailure(reason, message.slice(0, 300));
    }
  }

  /** Seconds until the last NotOnOrAfter of the (checked) assertion, plus the skew; at least the request lifetime, at most a day. */
  private replayWindowSeconds(assertion: Element): number {
    const limits = [
      ...asArray(assertion.getElementsByTagNameNS(SAML_ASSERTION, 'Conditions')),
      ...asArray(assertion.getElementsByTagNameNS(SAML_ASSERTION, 'SubjectConfirmationData')),
    ]
      .map((element) => Date.parse(element.getAttribute('NotOnOrAfter') ?? ''))
      .filter((time) => Number.isFinite(time));
    const until = limits.length > 0 ? Math.max(...limits) : 0;
    const seconds = Math.ceil((until - Date.now()) / 1000) + this.config.SSO_CLOCK_SKEW_SECONDS;
    return Math.min(Math.max(seconds, this.config.SSO_STATE_TIMEOUT_SECONDS), 24 * 3600);
  }

  private saml(provider: ActiveSamlProvider): Promise<SAML> {
    const cached = this.instances.get(provider.contactCenterId);
    if (cached?.version === provider.version) return cached.saml;
    const saml = this.build(provider);
    this.instances.set(provider.contactCenterId, { version: provider.version, saml });
    saml.catch(() => {
      if (this.instances.get(provider.contactCenterId)?.saml === saml) this.instances.delete(provider.contactCenterId);
    });
    return saml;
  }

  private async build(provider: ActiveSamlProvider): Promise<SAML> {
    const { settings, contactCenterId } = provider;
    const privateKey = await this.registry.secret(provider);
    if (!privateKey) throw new SsoFailure('sso_unknown_idp', `contact center ${contactCenterId}: no SP key stored`);
    return new SAML({
      issuer: this.entityId(contactCenterId),
      audience: this.entityId(contactCenterId),
      callbackUrl: this.acsUrl(contactCenterId),
      entryPoint: settings.ssoUrl,
      authnRequestBinding: settings.authnRequestBinding === 'post' ? 'HTTP-POST' : 'HTTP-Redirect',
      // Single logout only where the IdP has an endpoint for it (node-saml would use the SSO URL instead).
      ...(settings.sloUrl && {
        logoutUrl: settings.sloUrl,
        logoutCallbackUrl: this.url(samlPath(contactCenterId, 'slo')),
      }),
      idpIssuer: settings.idpEntityId,
      idpCert: settings.signingCertificates,
      privateKey,
      ...(settings.wantAssertionsEncrypted && { decryptionPvk: privateKey }),
      publicCert: settings.spCertificate,
      signatureAlgorithm: 'sha256',
      // node-saml takes the short name (a URI here would fall back to SHA-1 digests in signed XML).
      digestAlgorithm: 'sha256',
      identifierFormat: settings.nameIdFormat,
      // Asking for a password context fails users of passwordless or MFA sign-ins at Entra ID / ADFS.
      disableRequestedAuthnContext: true,
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: false,
      acceptedClockSkewMs: this.config.SSO_CLOCK_SKEW_SECONDS * 1000,
      validateInResponseTo: settings.allowIdpInitiated ? ValidateInResponseTo.ifPresent : ValidateInResponseTo.always,
      requestIdExpirationPeriodMs: this.config.SSO_STATE_TIMEOUT_SECONDS * 1000,
      cacheProvider: this.requestIds(contactCenterId),
    });
  }

  /** Our AuthnRequest ids (InResponseTo) in Redis, so any replica accepts the answer, once. */
  private requestIds(contactCenterId: string): CacheProvider {
    const key = (id: string) => requestKey(contactCenterId, id);
    const ttl = this.config.SSO_STATE_TIMEOUT_SECONDS;
    return {
      saveAsync: async (id, value) => {
        await this.redis.set(key(id), value, 'EX', ttl);
        return { value, createdAt: Date.now() };
      },
      getAsync: (id) => this.redis.get(key(id)),
      removeAsync: async (id) => (id === null ? null : this.redis.getdel(key(id))),
    };
  }

  private url(path: string): string {
    return `${this.config.PUBLIC_BASE_URL.replace(/\/+$/, '')}${path}`;
  }
}

/** A logout message signed as XML (enveloped signature after its Issuer) by node-saml, for the HTTP-POST binding. */
function signedForPost(saml: SAML, xml: string, name: 'LogoutRequest' | 'LogoutResponse'): string {
  const { privateKey } = saml.options;
  if (!privateKey) throw new SsoFailure('sso_unknown_idp', 'no SP key to sign with');
  return signSamlPost(xml, rootXPath(name), { ...saml.options, privateKey });
}

function parse(xml: string): Document {
  // Errors are thrown, never printed: a malformed document is simply refused.
  return new DOMParser({
    errorHandler: { warning: () => undefined, error: throwError, fatalError: throwError },
  }).parseFromString(xml || '<none/>', 'text/xml');
}

function throwError(message: string): never {
  throw new SsoFailure('sso_invalid_response', `malformed XML: ${message.slice(0, 200)}`);
}

/** The text of `element`'s direct child `<saml:name>` (null when there is none). */
function childText(element: Element, name: string): string | null {
  for (const child of asArray(element.childNodes)) {
    const node = child as Element;
    if (node.nodeType === 1 && node.namespaceURI === SAML_ASSERTION && node.localName === name)
      return (node.textContent ?? '').trim();
  }
  return null;
}

/** A response whose only assertion is an EncryptedAssertion (node-saml alone would take a plain one too). */
function isEncrypted(response: Element | null): boolean {
  const children = response ? asArray(response.childNodes).filter((node) => node.nodeType === 1) : [];
  const named = (name: string) =>
    children.filter(
      (node) => (node as Element).namespaceURI === SAML_ASSERTION && (node as Element).localName === name,
    );
  return named('EncryptedAssertion').length === 1 && named('Assertion').length === 0;
}

function isSignatureError(error: unknown): boolean {
  return error instanceof SsoFailure && /signature/i.test(error.detail);
}

function asArray<T>(list: { length: number; item(index: number): T | null }): T[] {
  const items: T[] = [];
  for (let index = 0; index < list.length; index++) {
    const item = list.item(index);
    if (item) items.push(item);
  }
  return items;
}

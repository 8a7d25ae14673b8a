import { DOMParser } from '@xmldom/xmldom';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

/** How AuthnRequests travel to the IdP: HTTP-Redirect (query, signed query) or HTTP-POST (form, signed XML). */
export type SamlAuthnRequestBinding = 'redirect' | 'post';

/** What an IdP's SAML metadata says about signing in. */
export interface SamlIdpMetadata {
  idpEntityId: string;
  /** Its SingleSignOnService locations by binding (at least one of the two). */
  ssoUrls: Partial<Record<SamlAuthnRequestBinding, string>>;
  signingCertificates: string[];
  /** Its SingleLogoutService locations by binding, when it publishes any. */
  sloUrls: Partial<Record<SamlAuthnRequestBinding, string>>;
}

/** The fields of a provider's `saml` settings that metadata fills. */
export interface SamlIdpMetadataFields {
  idpEntityId: string;
  /** The SSO URL of `authnRequestBinding`; absent when the metadata has none for that binding. */
  ssoUrl?: string;
  authnRequestBinding: SamlAuthnRequestBinding;
  signingCertificates: string[];
  /** The single logout URL of `logoutRequestBinding`; absent when the metadata has none for it. */
  sloUrl?: string;
  logoutRequestBinding: SamlAuthnRequestBinding;
}

/**
 * The settings fields `metadata` fills for AuthnRequests over `binding` and LogoutRequests over
 * `logoutBinding`; without one, HTTP-Redirect where the IdP offers it, else HTTP-POST (an IdP that
 * publishes only an HTTP-POST SingleSignOnService or SingleLogoutService).
 */
export function samlMetadataFields(
  metadata: SamlIdpMetadata,
  binding?: SamlAuthnRequestBinding,
  logoutBinding?: SamlAuthnRequestBinding,
): SamlIdpMetadataFields {
  const chosen = binding ?? (metadata.ssoUrls.redirect ? 'redirect' : 'post');
  const ssoUrl = metadata.ssoUrls[chosen];
  const logout = logoutBinding ?? (metadata.sloUrls.post && !metadata.sloUrls.redirect ? 'post' : 'redirect');
  const sloUrl = metadata.sloUrls[logout];
  return {
    idpEntityId: metadata.idpEntityId,
    ...(ssoUrl && { ssoUrl }),
    authnRequestBinding: chosen,
    signingCertificates: metadata.signingCertificates,
    ...(sloUrl && { sloUrl }),
    logoutRequestBinding: logout,
  };
}

/**
 * Reads an IdP's metadata document (as Entra ID, Okta and ADFS publish it): the entity ID, the
 * single sign-on URLs (HTTP-Redirect and HTTP-POST bindings), the single logout URLs (the same
 * bindings, if any) and the signing certificates. Throws an Error with the reason when
 * the document is not usable. Its signature is not checked (the operator vouches for the document
 * or its URL, as for fields typed by hand).
 */
export function parseSamlIdpMetadata(xml: string): SamlIdpMetadata {
  const document = new DOMParser({
    errorHandler: {
      warning: () => undefined,
      error: (m) => fail(`not XML: ${m}`),
      fatalError: (m) => fail(`not XML: ${m}`),
    },
  }).parseFromString(xml, 'text/xml');
  const root = document.documentElement;
  if (root?.namespaceURI !== MD || root.localName !== 'EntityDescriptor') fail('must be a SAML EntityDescriptor');
  const idp = root.getElementsByTagNameNS(MD, 'IDPSSODescriptor').item(0) ?? fail('has no IDPSSODescriptor');
  const service = (name: string, binding: string) =>
    Array.from({ length: idp.getElementsByTagNameNS(MD, name).length }, (_, index) =>
      idp.getElementsByTagNameNS(MD, name).item(index),
    )
      .find((element) => element?.getAttribute('Binding') === binding)
      ?.getAttribute('Location') || undefined;
  const redirect = service('SingleSignOnService', REDIRECT);
  const post = service('SingleSignOnService', POST);
  if (!redirect && !post) fail('has no SingleSignOnService for the HTTP-Redirect or HTTP-POST binding');
  const sloRedirect = service('SingleLogoutService', REDIRECT);
  const sloPost = service('SingleLogoutService', POST);
  const keys = idp.getElementsByTagNameNS(MD, 'KeyDescriptor');
  const signingCertificates: string[] = [];
  for (let index = 0; index < keys.length; index++) {
    const key = keys.item(index);
    const use = key?.getAttribute('use');
    if (!key || (use && use !== 'signing')) continue;
    const certificate = key.getElementsByTagNameNS(DS, 'X509Certificate').item(0)?.textContent?.replace(/\s+/g, '');
    if (certificate) signingCertificates.push(pem(certificate));
  }
  return {
    idpEntityId: root.getAttribute('entityID') || fail('has no entityID'),
    ssoUrls: { ...(redirect && { redirect }), ...(post && { post }) },
    signingCertificates: signingCertificates.length > 0 ? signingCertificates : fail('has no signing certificate'),
    sloUrls: { ...(sloRedirect && { redirect: sloRedirect }), ...(sloPost && { post: sloPost }) },
  };
}

function pem(base64: string): string {
  return `-----BEGIN CERTIFICATE-----\n${(base64.match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----\n`;
}

function fail(message: string): never {
  throw new Error(message);
}

/** The largest IdP metadata document read (Entra ID's are ~20 KiB). */
export const SAML_METADATA_MAX_BYTES = 256 * 1024;

/**
 * Fetches an IdP's metadata document: a bounded wait, no redirects (the URL the operator gave is the
 * one trusted), a bounded size. Throws an Error with the reason.
 */
export async function fetchSamlIdpMetadata(url: string, timeoutMs: number): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
      headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' },
    });
  } catch (error) {
    throw new Error(`cannot fetch ${url}: ${(error as Error).message}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`fetching ${url} answered ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > SAML_METADATA_MAX_BYTES) {
    await response.body?.cancel();
    throw new Error(`${url}: the document is larger than ${SAML_METADATA_MAX_BYTES} bytes`);
  }
  const text = await response.text();
  if (Buffer.byteLength(text) > SAML_METADATA_MAX_BYTES)
    throw new Error(`${url}: the document is larger than ${SAML_METADATA_MAX_BYTES} bytes`);
  return text;
}

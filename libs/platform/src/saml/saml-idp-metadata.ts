import { DOMParser } from '@xmldom/xmldom';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

/** What an IdP's SAML metadata says about signing in (the fields of `saml` it can fill). */
export interface SamlIdpMetadata {
  idpEntityId: string;
  ssoUrl: string;
  signingCertificates: string[];
  /** The single logout URL (HTTP-Redirect binding), when the IdP publishes one. */
  sloUrl?: string;
}

/**
 * Reads an IdP's metadata document (as Entra ID, Okta and ADFS publish it): the entity ID, the
 * HTTP-Redirect single sign-on (and, if any, single logout) URL and the signing certificates. Throws an Error with the reason when
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
  const service = (name: string) =>
    Array.from({ length: idp.getElementsByTagNameNS(MD, name).length }, (_, index) =>
      idp.getElementsByTagNameNS(MD, name).item(index),
    ).find((element) => element?.getAttribute('Binding') === REDIRECT);
  const sso = service('SingleSignOnService');
  const sloUrl = service('SingleLogoutService')?.getAttribute('Location');
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
    ssoUrl: sso?.getAttribute('Location') || fail('has no SingleSignOnService for the HTTP-Redirect binding'),
    signingCertificates: signingCertificates.length > 0 ? signingCertificates : fail('has no signing certificate'),
    ...(sloUrl && { sloUrl }),
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

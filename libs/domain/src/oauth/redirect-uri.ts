/** Schemes that run code or read local files where a browser lands: never a redirect target. */
const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:']);

/** Hosts a plain-http redirect URI may name (RFC 8252 §7.3 loopback redirection for native apps). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * Whether a client may register this redirect URI: absolute, no fragment (RFC 6749 §3.1.2), no script
 * or file scheme, and `http:` only on a loopback host (codes and tokens never cross a network in the
 * clear). `https:` and private-use schemes of native apps (`com.example.app:/cb`) are accepted.
 */
export function isRegistrableRedirectUri(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.hash || value.includes('#') || FORBIDDEN_SCHEMES.has(url.protocol)) return false;
  return url.protocol !== 'http:' || LOOPBACK_HOSTS.has(url.hostname);
}

/** Exact string match against the registered list: no prefix, no normalisation, no wildcard. */
export function isRegisteredRedirectUri(registered: readonly string[], candidate: string): boolean {
  return registered.includes(candidate);
}

export type ResponseMode = 'query' | 'fragment';

/** Where an authorization response goes once the redirect URI is verified. */
export interface RedirectTarget {
  redirectUri: string;
  responseMode: ResponseMode;
  state?: string;
  /** RFC 9207: the issuer, sent as `iss` with every response so a client can tell which server answered (mix-up defence). */
  issuer?: string;
}

/** `redirect_uri` with the response parameters (and `state`, `iss`) in its query or fragment. */
export function redirectWith(target: RedirectTarget, parameters: Record<string, string | undefined>): string {
  const url = new URL(target.redirectUri);
  const values = Object.entries({ ...parameters, state: target.state, iss: target.issuer }).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  if (target.responseMode === 'fragment') {
    url.hash = new URLSearchParams(values).toString();
  } else {
    for (const [name, value] of values) url.searchParams.append(name, value);
  }
  return url.toString();
}

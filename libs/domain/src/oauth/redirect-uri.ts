/** Schemes that run code or read local files where a browser lands: never a redirect target. */
const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:']);

/** Whether a client may register this redirect URI: absolute, no fragment (RFC 6749 §3.1.2), no script scheme. */
export function isRegistrableRedirectUri(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return !url.hash && !value.includes('#') && !FORBIDDEN_SCHEMES.has(url.protocol);
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
}

/** `redirect_uri` with the response parameters (and `state`) in its query or fragment. */
export function redirectWith(target: RedirectTarget, parameters: Record<string, string | undefined>): string {
  const url = new URL(target.redirectUri);
  const values = Object.entries({ ...parameters, state: target.state }).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  if (target.responseMode === 'fragment') {
    url.hash = new URLSearchParams(values).toString();
  } else {
    for (const [name, value] of values) url.searchParams.append(name, value);
  }
  return url.toString();
}

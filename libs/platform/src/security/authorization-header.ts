/** Longest token a Bearer header may carry (JWTs with many claims stay well below). */
const MAX_BEARER_TOKEN_LENGTH = 8192;
/** RFC 6750 §2.1 b64token; the scheme is case-insensitive (RFC 7235 §2.1). */
const BEARER = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i;
/** RFC 7617: the scheme, one space, then canonical base64 (padding only at the end). */
const BASIC = /^Basic ([A-Za-z0-9+/]+={0,2})$/i;
/** Control characters (NUL included) are in no user name, client id or secret. */
function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** `Authorization: Bearer <token>` → the token, or null when absent or malformed. */
export function parseBearerAuthorization(header: string | undefined): string | null {
  if (!header || header.length > MAX_BEARER_TOKEN_LENGTH + 16) return null;
  return BEARER.exec(header)?.[1] ?? null;
}

/** `Authorization: Basic …` → credentials, or null when absent or malformed. */
export function parseBasicAuthorization(header: string | undefined): { username: string; password: string } | null {
  if (!header) return null;
  const match = BASIC.exec(header);
  const encoded = match?.[1];
  if (!encoded || encoded.length % 4 !== 0) return null;
  const bytes = Buffer.from(encoded, 'base64');
  // Node's decoder skips what it cannot read: only a value that re-encodes to itself was well-formed.
  if (bytes.toString('base64') !== encoded) return null;
  let decoded: string;
  try {
    decoded = UTF8.decode(bytes);
  } catch {
    return null;
  }
  const separator = decoded.indexOf(':');
  if (separator < 0 || hasControlCharacter(decoded)) return null;
  return { username: decoded.slice(0, separator), password: decoded.slice(separator + 1) };
}

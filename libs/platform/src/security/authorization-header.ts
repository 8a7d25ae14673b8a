/** Longest token a Bearer header may carry (JWTs with many claims stay well below). */
const MAX_BEARER_TOKEN_LENGTH = 8192;
/** RFC 6750 §2.1 b64token; the scheme is case-insensitive (RFC 7235 §2.1). */
const BEARER = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i;
const BASIC = /^Basic\s+([A-Za-z0-9+/=._~-]+)\s*$/i;

/** `Authorization: Bearer <token>` → the token, or null when absent or malformed. */
export function parseBearerAuthorization(header: string | undefined): string | null {
  if (!header || header.length > MAX_BEARER_TOKEN_LENGTH + 16) return null;
  return BEARER.exec(header)?.[1] ?? null;
}

/** `Authorization: Basic …` → credentials, or null when absent or malformed. */
export function parseBasicAuthorization(header: string | undefined): { username: string; password: string } | null {
  if (!header) return null;
  const match = BASIC.exec(header);
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) return null;
  return { username: decoded.slice(0, separator), password: decoded.slice(separator + 1) };
}

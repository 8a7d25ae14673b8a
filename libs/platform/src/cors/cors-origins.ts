/**
 * Origins as browsers send them: `scheme://host[:port]`, lowercased, default ports dropped.
 * Returns null for anything that is not an http(s) origin (paths, wildcards, garbage).
 */
export function normalizeOrigin(value: string): string | null {
  const trimmed = value.trim();
  if (!/^https?:\/\/[^\s/?#]+\/?$/i.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    if (url.username || url.password) return null;
    return url.origin.toLowerCase();
  } catch {
    return null;
  }
}

/** Splits a `cors-origins` setting value (`"https://a.x, https://b.x"`) into normalised origins. */
export function parseOriginList(value: string): { origins: string[]; invalid: string[] } {
  const origins: string[] = [];
  const invalid: string[] = [];
  for (const part of value.split(',')) {
    const candidate = part.trim();
    if (!candidate) continue;
    const origin = normalizeOrigin(candidate);
    if (origin) origins.push(origin);
    else invalid.push(candidate);
  }
  return { origins: [...new Set(origins)], invalid };
}

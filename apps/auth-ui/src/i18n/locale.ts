import { DEFAULT_LOCALE, Locale, LOCALES, MessageKey } from './messages';

function supported(tag: string | undefined | null): Locale | undefined {
  if (!tag) return undefined;
  const language = tag.trim().toLowerCase().split(/[-_]/)[0];
  return language && Object.hasOwn(LOCALES, language) ? (language as Locale) : undefined;
}

/** `Accept-Language` entries by descending q (RFC 9110 §12.5.4); malformed entries are skipped. */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...parameters] = part.trim().split(';');
      const q = parameters.map((p) => /^\s*q=([01](\.\d{0,3})?)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(entry.tag) && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((entry) => entry.tag);
}

/** The `locale` parameter wins, then the pending sign-in's locale, then Accept-Language, then English. */
export function negotiateLocale(explicit: string[], acceptLanguage: string | undefined): Locale {
  for (const tag of explicit) {
    const found = supported(tag);
    if (found) return found;
  }
  for (const tag of acceptedLanguages(acceptLanguage)) {
    const found = supported(tag);
    if (found) return found;
  }
  return DEFAULT_LOCALE;
}

export type Translate = (key: MessageKey, values?: Record<string, string>) => string;

export function translator(locale: Locale): Translate {
  const messages = LOCALES[locale];
  return (key, values = {}) => messages[key].replace(/\{(\w+)\}/g, (match, name: string) => values[name] ?? match);
}

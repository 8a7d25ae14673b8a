/**
 * What never reaches a log line: credentials by name, and the seed-002 convention for request
 * parameters (a name starting `XXX` is dropped, one starting `MMM` is masked).
 */
const SENSITIVE_NAME =
  /pass(word)?|pwd|secret|token|authorization|cookie|assertion|credential|api[-_]?key|private|session[-_]?id|^code$|^key$/i;
export const MASK = '***';

export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAME.test(name) || name.startsWith('MMM');
}

/** Rewrites a request URL's query string: XXX parameters removed, sensitive and MMM ones masked. */
export function sanitizeUrl(url: string | undefined): string | undefined {
  if (!url) return url;
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return url;
  const params = new URLSearchParams(url.slice(queryStart + 1));
  const kept = new URLSearchParams();
  for (const [name, value] of params) {
    if (name.startsWith('XXX')) continue;
    kept.append(name, isSensitiveName(name) ? MASK : value);
  }
  const query = kept.toString();
  return query ? `${url.slice(0, queryStart)}?${query}` : url.slice(0, queryStart);
}

/** Deep copy of a log object with sensitive fields masked and XXX fields dropped. */
export function redactObject(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactObject(item, depth + 1));
  // Class instances (requests, errors) are left to pino's serializers, which pick safe fields.
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  const output: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (key.startsWith('XXX')) continue;
    output[key] = isSensitiveName(key) ? MASK : redactObject(item, depth + 1);
  }
  return output;
}

/** What a failed query carries of the data: its parameters and the row values PostgreSQL quotes. */
const DATA_FIELDS = new Set(['parameters', 'detail', 'where']);

/**
 * An error as a log object (pino's standard fields) without the data it may carry: TypeORM's
 * QueryFailedError holds the query's parameters (row values, password hashes) and its driver error
 * PostgreSQL's `detail`; both are dropped at every depth, the query text and error code stay.
 */
export function withoutQueryData(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => withoutQueryData(item, depth + 1));
  const output: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (DATA_FIELDS.has(key) || key.startsWith('XXX')) continue;
    output[key] = withoutQueryData(item, depth + 1);
  }
  return output;
}

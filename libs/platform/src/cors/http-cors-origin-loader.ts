import type { CorsOriginLoader } from './cors-policy';

/**
 * For a service without the database (auth-ui): reads the effective origins from environment-api,
 * `GET <environmentApiUrl>/environment/v3/cors` with the ops Basic credentials, `.data.origins`.
 * Pair it with `CorsPolicy.refreshIntervalMs` (polling) — a failed poll keeps the last list.
 */
export function httpCorsOriginLoader(options: {
  environmentApiUrl: string;
  username: string;
  password: string;
  timeoutMs?: number;
}): CorsOriginLoader {
  const url = new URL('/environment/v3/cors', options.environmentApiUrl).toString();
  const authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`, 'utf8').toString('base64')}`;
  return async () => {
    const response = await fetch(url, {
      headers: { authorization, accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs ?? 3_000),
    });
    if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
    const body = (await response.json()) as { data?: { origins?: unknown } };
    const origins = body.data?.origins;
    if (!Array.isArray(origins) || !origins.every((origin) => typeof origin === 'string')) {
      throw new Error(`GET ${url}: no data.origins list in the answer`);
    }
    return origins as string[];
  };
}

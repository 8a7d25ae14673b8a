import { InvalidScope } from './oauth-error';

/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
/** OpenID Connect scopes every client may ask for besides its registered ones. */
export const OIDC_SCOPES: ReadonlySet<string> = new Set(['openid', 'profile', 'email', 'offline_access']);
/** A registered scope of `*` allows any scope, as Genesys clients are registered. */
export const ANY_SCOPE = '*';

export function splitScope(scope: string): string[] {
  return scope.split(' ').filter(Boolean);
}

export function scopeIncludes(scope: string, value: string): boolean {
  return splitScope(scope).includes(value);
}

/**
 * The scope to grant a client, at the token endpoint and at the authorization endpoint alike: the
 * requested values (each registered for the client, or any when `*` is registered, or an OpenID
 * Connect scope), deduplicated in order; the client's registered scopes when none is asked for.
 */
export function resolveScope(registered: readonly string[], requested: string | undefined): string {
  if (requested === undefined || requested.trim() === '') return registered.length ? registered.join(' ') : ANY_SCOPE;
  const asked = splitScope(requested);
  for (const value of asked) {
    if (!SCOPE_TOKEN.test(value)) throw new InvalidScope('Malformed scope value');
  }
  const refused = asked.filter(
    (value) => !registered.includes(ANY_SCOPE) && !registered.includes(value) && !OIDC_SCOPES.has(value),
  );
  if (refused.length > 0) throw new InvalidScope(`Scope not allowed for this client: ${refused.join(' ')}`);
  return [...new Set(asked)].join(' ');
}

/** A narrower scope on refresh or exchange: every requested value must be in the original grant. */
export function narrowScope(original: string, requested: string | undefined): string {
  if (requested === undefined || requested.trim() === '') return original;
  const granted = splitScope(original);
  const asked = splitScope(requested);
  for (const value of asked) {
    if (!granted.includes(ANY_SCOPE) && !granted.includes(value)) {
      throw new InvalidScope(`Scope ${value} exceeds the original grant`);
    }
  }
  return [...new Set(asked)].join(' ');
}

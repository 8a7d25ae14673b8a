import type { RegisteredClient } from '../../clients/client.model';
import { InvalidScope } from '../../oauth/oauth.error';

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export function splitScope(scope: string): string[] {
  return scope.split(' ').filter(Boolean);
}

/**
 * The scope to grant: the requested scope (validated against the client's registered scopes; `*` allows
 * any scope, as Genesys clients are registered), or the client's scopes when none is asked for.
 */
export function resolveScope(client: RegisteredClient, requested: string | undefined): string {
  if (requested === undefined || requested.trim() === '') return client.scope.length ? client.scope.join(' ') : '*';
  const asked = splitScope(requested);
  for (const value of asked) {
    if (!SCOPE_TOKEN.test(value)) throw new InvalidScope(`Malformed scope value`);
    if (!client.scope.includes('*') && !client.scope.includes(value) && value !== 'openid') {
      throw new InvalidScope(`Scope ${value} is not allowed for this client`);
    }
  }
  return [...new Set(asked)].join(' ');
}

/** A narrower scope on refresh or exchange: every requested value must be in the original grant. */
export function narrowScope(original: string, requested: string | undefined): string {
  if (requested === undefined || requested.trim() === '') return original;
  const granted = splitScope(original);
  const asked = splitScope(requested);
  for (const value of asked) {
    if (!granted.includes('*') && !granted.includes(value)) {
      throw new InvalidScope(`Scope ${value} exceeds the original grant`);
    }
  }
  return [...new Set(asked)].join(' ');
}

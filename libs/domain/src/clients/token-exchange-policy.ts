import { InvalidGrant, InvalidRequest, InvalidTarget } from '../oauth/oauth-error';
import { ANY_SCOPE, OIDC_SCOPES, splitScope } from '../oauth/scope-policy';
import { TOKEN_TYPES } from '../oauth/token-types';
import type { RegisteredClient } from './registered-client';

/**
 * What a client may exchange (RFC 8693), registered per client (`tokenExchange` in the ops API).
 * Whatever the policy says, a client exchanges only tokens issued to it, naming it in `aud`, or
 * issued to one of `subjectClients` — and never another client's refresh token.
 */
export interface TokenExchangePolicy {
  /** Subject (and actor) token types it may present. */
  subjectTokenTypes: string[];
  /** Clients whose access and id tokens it may exchange besides its own. */
  subjectClients: string[];
  /** The `audience`/`resource` values it may ask for; null = any. */
  audiences: string[] | null;
}

export const EXCHANGEABLE_TOKEN_TYPES: readonly string[] = Object.values(TOKEN_TYPES);

/** The policy of a client registered without one: every token type, only its own tokens, any audience. */
export const DEFAULT_TOKEN_EXCHANGE_POLICY: TokenExchangePolicy = {
  subjectTokenTypes: [...EXCHANGEABLE_TOKEN_TYPES],
  subjectClients: [],
  audiences: null,
};

export function exchangePolicyOf(client: Pick<RegisteredClient, 'tokenExchange'>): TokenExchangePolicy {
  return client.tokenExchange ?? DEFAULT_TOKEN_EXCHANGE_POLICY;
}

/** How a presented token came to be, as far as the exchange rules care. */
export interface ExchangedTokenOrigin {
  kind: 'access' | 'refresh' | 'id';
  /** The client the token was issued to. */
  clientId: string;
  /** The token's audience (access tokens from an exchange, id tokens' `aud`). */
  audience?: readonly string[];
}

export function assertExchangeableType(policy: TokenExchangePolicy, type: string, name: string): void {
  if (!EXCHANGEABLE_TOKEN_TYPES.includes(type)) throw new InvalidRequest(`Unsupported ${name}_type`);
  if (!policy.subjectTokenTypes.includes(type)) {
    throw new InvalidRequest(`The client may not exchange ${name}_type ${type}`);
  }
}

/** Throws invalid_grant unless the caller may exchange a token of this origin. */
export function assertMayExchange(
  policy: TokenExchangePolicy,
  callerId: string,
  origin: ExchangedTokenOrigin,
  name: string,
): void {
  if (origin.clientId === callerId) return;
  // A refresh token is a long-lived credential of the client it was issued to, and only of that one.
  if (origin.kind === 'refresh') throw new InvalidGrant(`${name} was issued to another client`);
  if (origin.audience?.includes(callerId)) return;
  if (policy.subjectClients.includes(origin.clientId)) return;
  throw new InvalidGrant(`${name} was issued to another client`);
}

export function assertAudiencesAllowed(policy: TokenExchangePolicy, audiences: readonly string[]): void {
  const allowed = policy.audiences;
  if (allowed === null) return;
  const refused = audiences.filter((value) => !allowed.includes(value));
  if (refused.length > 0) throw new InvalidTarget(`The client may not ask for audience ${refused.join(' ')}`);
}

/**
 * A scope no wider than what the client is registered for: `*` granted becomes the client's
 * registered scopes; values it is not registered for are dropped (OpenID Connect scopes stay).
 */
export function capScope(granted: string, registered: readonly string[]): string {
  if (registered.includes(ANY_SCOPE)) return granted;
  const values = splitScope(granted).flatMap((value) => (value === ANY_SCOPE ? [...registered] : [value]));
  const kept = values.filter((value) => registered.includes(value) || OIDC_SCOPES.has(value));
  return [...new Set(kept)].join(' ');
}

/** The authorities of a delegated token: the subject's, as far as the caller itself holds them. */
export function capAuthorities(authorities: readonly string[], registered: readonly string[]): string[] {
  return authorities.filter((authority) => registered.includes(authority));
}

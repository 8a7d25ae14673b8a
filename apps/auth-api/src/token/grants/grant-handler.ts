import type { AuthenticatedClient } from '../../client-auth/authenticated-client';
import { InvalidRequest, type RegisteredClient, type TokenResponse } from '@cxauth/domain';

/** The token request once the client is authenticated: its (string) parameters and the client. */
export interface GrantContext {
  client: RegisteredClient;
  authentication: AuthenticatedClient;
  params: Readonly<Record<string, string>>;
  /** The caller's IP address (counted by the brute-force throttle) and the request id (audit trail). */
  source: string;
  requestId: string;
}

/** One grant type (oidc-provider's `{ grantType, parameters, handler }`). */
export interface GrantHandler {
  readonly grantType: string;
  /** Parameters this grant reads besides grant_type and client credentials (unknown ones are ignored, RFC 6749 §3.2). */
  readonly parameters: readonly string[];
  /** Parameters that must be present. */
  readonly required: readonly string[];
  /**
   * The grant refuses a Redis outage itself, at its own point, instead of the endpoint doing it before
   * the grant runs (refresh: reuse detection comes first, so a replay still revokes its family).
   */
  readonly checksRedisItself?: boolean;
  handle(context: GrantContext): Promise<TokenResponse>;
}

export const GRANT_HANDLERS = Symbol('GRANT_HANDLERS');

/** A required parameter (the controller has already checked `required`; this keeps the types honest). */
export function requiredParam(params: Readonly<Record<string, string>>, name: string): string {
  const value = params[name];
  if (!value) throw new InvalidRequest(`${name} is required`);
  return value;
}

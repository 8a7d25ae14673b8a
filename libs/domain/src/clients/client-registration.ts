import { DomainException } from '../errors/domain.exception';
import { GRANT_TYPES } from '../oauth/grant-types';
import type { RegisteredClient } from './registered-client';

/** Grants that rest on the client's own credential (a PUBLIC client has none). */
const PUBLIC_CLIENT_FORBIDDEN_GRANTS: readonly string[] = [
  GRANT_TYPES.CLIENT_CREDENTIALS,
  GRANT_TYPES.PASSWORD,
  GRANT_TYPES.TOKEN_EXCHANGE,
];

/** The parts of a client (as registered or as stored) whose combination the registration rules check. */
export interface ClientRegistration {
  clientType: string;
  internalClient: boolean;
  authorizedGrantTypes: readonly string[];
  redirectUris: readonly string[];
  jwks: RegisteredClient['jwks'];
  jwksUri: string | null;
}

/** Combinations a client may not be registered with, as messages that name the field at fault. */
export function clientRegistrationProblems(client: ClientRegistration): string[] {
  const grants = client.authorizedGrantTypes;
  const problems: string[] = [];
  const browserGrant = grants.includes(GRANT_TYPES.AUTHORIZATION_CODE) || grants.includes(GRANT_TYPES.IMPLICIT);
  if (browserGrant && client.redirectUris.length === 0) {
    problems.push('redirectURIs: required for authorization_code and implicit clients');
  }
  if (client.clientType === 'PUBLIC') {
    // Anyone can present a PUBLIC client's id: nothing that trusts the client itself may be granted to it.
    if (client.internalClient) problems.push('internalClient: PUBLIC clients cannot be internal clients');
    for (const grant of PUBLIC_CLIENT_FORBIDDEN_GRANTS) {
      if (grants.includes(grant)) problems.push(`authorizedGrantTypes: PUBLIC clients cannot use ${grant}`);
    }
  }
  if (client.jwks && client.jwksUri) problems.push('give either jwks or jwksUri, not both');
  return problems;
}

/** Throws VALIDATION_FAILED (code 2) for the first broken registration rule. */
export function assertValidClientRegistration(client: ClientRegistration): void {
  const [problem] = clientRegistrationProblems(client);
  if (problem) throw new DomainException('VALIDATION_FAILED', problem);
}

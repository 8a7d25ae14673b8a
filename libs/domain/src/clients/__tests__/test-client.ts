import type { RegisteredClient } from '../registered-client';

/** A registered client for the domain's unit tests; override what a case is about. */
export function testClient(overrides: Partial<RegisteredClient> = {}): RegisteredClient {
  return {
    clientId: 'app',
    name: 'App',
    description: null,
    clientType: 'CONFIDENTIAL',
    internalClient: false,
    secretHash: '$argon2id$hash',
    authorities: [],
    scope: ['*'],
    authorizedGrantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: ['https://app.example.com/cb'],
    accessTokenValidity: 3600,
    refreshTokenValidity: 86400,
    contactCenterIds: [],
    tokenFormat: 'opaque',
    jwks: null,
    jwksUri: null,
    tokenExchange: null,
    requirePkce: false,
    createdAt: new Date(1_700_000_000_000),
    updatedAt: new Date(1_700_000_001_000),
    ...overrides,
  };
}

import { GRANT_TYPES, effectiveGrantTypes, grantOfResponseType } from '../../oauth/grant-types';
import { UnauthorizedClient } from '../../oauth/oauth-error';
import { DomainException } from '../../errors/domain.exception';
import { assertValidClientRegistration, clientRegistrationProblems } from '../client-registration';
import { assertGrantEligible, type ClientAuthMethod } from '../grant-eligibility';
import { clientView } from '../registered-client';
import { testClient } from './test-client';

describe('grant types', () => {
  it.each<[string, string[], boolean, string[]]>([
    [
      'keeps the product order',
      ['password', 'refresh_token', 'client_credentials'],
      false,
      ['refresh_token', 'client_credentials', 'password'],
    ],
    ['drops duplicates', ['password', 'password'], false, ['password']],
    [
      'adds token exchange and jwt-bearer for internal clients (seed 001)',
      ['client_credentials'],
      true,
      ['client_credentials', GRANT_TYPES.TOKEN_EXCHANGE, GRANT_TYPES.JWT_BEARER],
    ],
    ['drops unknown values', ['client_credentials', 'magic'], false, ['client_credentials']],
  ])('effective grant types %s', (_case, requested, internal, effective) => {
    expect(effectiveGrantTypes(requested, internal)).toEqual(effective);
  });

  it('maps response types to grants', () => {
    expect(grantOfResponseType('code')).toBe('authorization_code');
    expect(grantOfResponseType('token')).toBe('implicit');
  });
});

describe('grant eligibility at the token endpoint', () => {
  it.each<[string, string[], 'CONFIDENTIAL' | 'PUBLIC', string, ClientAuthMethod]>([
    ['a registered grant', ['password'], 'CONFIDENTIAL', 'password', 'client_secret_basic'],
    [
      'client_credentials with a proven secret',
      ['client_credentials'],
      'CONFIDENTIAL',
      'client_credentials',
      'client_secret_post',
    ],
    ['authorization_code for a public client', ['authorization_code'], 'PUBLIC', 'authorization_code', 'none'],
  ])('allows %s', (_case, grants, clientType, grant, method) => {
    const client = testClient({ authorizedGrantTypes: grants as never, clientType });
    expect(() => assertGrantEligible(client, grant, method)).not.toThrow();
  });

  it.each<[string, string[], 'CONFIDENTIAL' | 'PUBLIC', string, ClientAuthMethod, RegExp]>([
    [
      'an unregistered grant',
      ['password'],
      'CONFIDENTIAL',
      'client_credentials',
      'client_secret_basic',
      /may not use the client_credentials grant/,
    ],
    [
      'client_credentials without a secret',
      ['client_credentials'],
      'CONFIDENTIAL',
      'client_credentials',
      'none',
      /confidential client/,
    ],
    [
      'client_credentials for a public client',
      ['client_credentials'],
      'PUBLIC',
      'client_credentials',
      'none',
      /confidential client/,
    ],
    ['password for a public client (older registration)', ['password'], 'PUBLIC', 'password', 'none', /confidential/],
    [
      'token exchange for a public client (older registration)',
      ['urn:ietf:params:oauth:grant-type:token-exchange'],
      'PUBLIC',
      'urn:ietf:params:oauth:grant-type:token-exchange',
      'none',
      /confidential/,
    ],
  ])('refuses %s with unauthorized_client', (_case, grants, clientType, grant, method, message) => {
    const client = testClient({ authorizedGrantTypes: grants as never, clientType });
    expect(() => assertGrantEligible(client, grant, method)).toThrow(UnauthorizedClient);
    expect(() => assertGrantEligible(client, grant, method)).toThrow(message);
  });
});

describe('client registration rules', () => {
  it.each([
    [
      'a browser client without redirect URIs',
      { authorizedGrantTypes: ['authorization_code'], redirectUris: [] },
      /redirectURIs: required/,
    ],
    [
      'an implicit client without redirect URIs',
      { authorizedGrantTypes: ['implicit'], redirectUris: [] },
      /redirectURIs: required/,
    ],
    [
      'a public client with client_credentials',
      { clientType: 'PUBLIC', authorizedGrantTypes: ['client_credentials'] },
      /PUBLIC clients cannot use client_credentials/,
    ],
    [
      'a public internal client',
      { clientType: 'PUBLIC', internalClient: true, authorizedGrantTypes: ['authorization_code'] },
      /PUBLIC clients cannot be internal clients/,
    ],
    [
      'a public client with the password grant',
      { clientType: 'PUBLIC', authorizedGrantTypes: ['password'] },
      /PUBLIC clients cannot use password/,
    ],
    [
      'a public client with token exchange',
      { clientType: 'PUBLIC', authorizedGrantTypes: ['urn:ietf:params:oauth:grant-type:token-exchange'] },
      /PUBLIC clients cannot use urn:ietf:params:oauth:grant-type:token-exchange/,
    ],
    [
      'both jwks and jwksUri',
      { jwks: { keys: [{ kty: 'EC' }] }, jwksUri: 'https://keys.example.com' },
      /either jwks or jwksUri/,
    ],
  ])('refuses %s (VALIDATION_FAILED)', (_case, overrides, message) => {
    const client = testClient(overrides as never);
    expect(clientRegistrationProblems(client)).toHaveLength(1);
    expect(() => assertValidClientRegistration(client)).toThrow(DomainException);
    expect(() => assertValidClientRegistration(client)).toThrow(message);
  });

  it('accepts a consistent client', () => {
    expect(clientRegistrationProblems(testClient())).toEqual([]);
  });
});

describe('client view (ops API)', () => {
  it('answers in the product order, without the secret hash, with epoch-millisecond times', () => {
    const view = clientView(testClient({ description: 'desc', jwksUri: 'https://keys.example.com' }));
    expect(Object.keys(view)).toEqual([
      'clientType',
      'scope',
      'internalClient',
      'authorizedGrantTypes',
      'authorities',
      'redirectURIs',
      'accessTokenExpirationTimeout',
      'refreshTokenExpirationTimeout',
      'createdAt',
      'name',
      'client_id',
      'description',
      'contactCenterIds',
      'tokenFormat',
      'jwksUri',
      'requirePkce',
      'updatedAt',
    ]);
    expect(view.createdAt).toBe(1_700_000_000_000);
    expect(JSON.stringify(view)).not.toContain('argon2');
  });
});

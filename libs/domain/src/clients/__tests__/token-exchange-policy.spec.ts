import { InvalidGrant, InvalidRequest, InvalidTarget } from '../../oauth/oauth-error';
import { TOKEN_TYPES } from '../../oauth/token-types';
import {
  assertAudiencesAllowed,
  assertExchangeableType,
  assertMayExchange,
  capAuthorities,
  capScope,
  DEFAULT_TOKEN_EXCHANGE_POLICY,
  type ExchangedTokenOrigin,
  type TokenExchangePolicy,
} from '../token-exchange-policy';
import { clientServesUser, mayAssertUser } from '../registered-client';

const policy = (overrides: Partial<TokenExchangePolicy> = {}): TokenExchangePolicy => ({
  ...DEFAULT_TOKEN_EXCHANGE_POLICY,
  ...overrides,
});

describe('token exchange policy', () => {
  it.each([
    ['own access token', { kind: 'access', clientId: 'me' }, {}, true],
    ["another client's access token", { kind: 'access', clientId: 'other' }, {}, false],
    ['an access token naming the caller in aud', { kind: 'access', clientId: 'other', audience: ['me'] }, {}, true],
    ['a listed subject client', { kind: 'id', clientId: 'other' }, { subjectClients: ['other'] }, true],
    ['own refresh token', { kind: 'refresh', clientId: 'me' }, {}, true],
    ["a listed client's refresh token", { kind: 'refresh', clientId: 'other' }, { subjectClients: ['other'] }, false],
  ] as [string, ExchangedTokenOrigin, Partial<TokenExchangePolicy>, boolean][])(
    '%s',
    (_name, origin, overrides, allowed) => {
      const check = () => assertMayExchange(policy(overrides), 'me', origin, 'subject_token');
      if (allowed) expect(check).not.toThrow();
      else expect(check).toThrow(InvalidGrant);
    },
  );

  it('checks token types and audiences against the policy', () => {
    expect(() => assertExchangeableType(policy(), 'urn:x:saml', 'subject_token')).toThrow(InvalidRequest);
    const accessOnly = policy({ subjectTokenTypes: [TOKEN_TYPES.ACCESS_TOKEN] });
    expect(() => assertExchangeableType(accessOnly, TOKEN_TYPES.ID_TOKEN, 'subject_token')).toThrow(InvalidRequest);
    expect(() => assertAudiencesAllowed(policy(), ['anything'])).not.toThrow();
    expect(() => assertAudiencesAllowed(policy({ audiences: ['a'] }), ['a', 'b'])).toThrow(InvalidTarget);
  });

  it("caps scope and authorities at the caller's registration", () => {
    expect(capScope('*', ['read'])).toBe('read');
    expect(capScope('openid read write', ['read'])).toBe('openid read');
    expect(capScope('read write', ['*'])).toBe('read write');
    expect(capScope('write', ['read'])).toBe('');
    expect(capAuthorities(['ROLE_OPS', 'ROLE_INTERNAL_CLIENT'], ['ROLE_INTERNAL_CLIENT'])).toEqual([
      'ROLE_INTERNAL_CLIENT',
    ]);
  });

  it('binds clients with contact centers to their users', () => {
    expect(clientServesUser({ contactCenterIds: [] }, { contactCenterId: null })).toBe(true);
    expect(clientServesUser({ contactCenterIds: ['cc1'] }, { contactCenterId: 'cc1' })).toBe(true);
    expect(clientServesUser({ contactCenterIds: ['cc1'] }, { contactCenterId: 'cc2' })).toBe(false);
    expect(clientServesUser({ contactCenterIds: ['cc1'] }, { contactCenterId: null })).toBe(false);
  });

  it('lets jwt-bearer assert only users of the contact centers the client is bound to', () => {
    expect(mayAssertUser({ contactCenterIds: [] }, { contactCenterId: 'cc1' })).toBe(false);
    expect(mayAssertUser({ contactCenterIds: ['cc1'] }, { contactCenterId: 'cc1' })).toBe(true);
    expect(mayAssertUser({ contactCenterIds: ['cc1'] }, { contactCenterId: null })).toBe(false);
  });
});

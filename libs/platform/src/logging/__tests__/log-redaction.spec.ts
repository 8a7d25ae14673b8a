import { redactObject, sanitizeUrl } from '../log-redaction';

describe('sanitizeUrl', () => {
  it('drops XXX parameters, masks MMM and credential-named ones, keeps the rest', () => {
    expect(sanitizeUrl('/a?XXXpan=1&MMMacct=2&password=3&access_token=4&locale=en')).toBe(
      '/a?MMMacct=***&password=***&access_token=***&locale=en',
    );
  });

  it('leaves URLs without a query alone and removes an emptied query', () => {
    expect(sanitizeUrl('/auth/v3/ping')).toBe('/auth/v3/ping');
    expect(sanitizeUrl('/x?XXXonly=1')).toBe('/x');
  });
});

describe('redactObject', () => {
  it('masks credential-named fields at any depth and drops XXX fields', () => {
    expect(
      redactObject({
        user: 'a',
        nested: { client_secret: 's', Authorization: 'Bearer t', list: [{ refreshToken: 'r', ok: 1 }] },
        XXXcard: '4111',
        MMMaccount: '12',
      }),
    ).toEqual({
      user: 'a',
      nested: { client_secret: '***', Authorization: '***', list: [{ refreshToken: '***', ok: 1 }] },
      MMMaccount: '***',
    });
  });
});

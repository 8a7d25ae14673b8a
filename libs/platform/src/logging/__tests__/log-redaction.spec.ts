import { redactObject, sanitizeUrl, withoutQueryData } from '../log-redaction';

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

describe('authorization codes, passwords, keys and session ids', () => {
  it('masks code, pwd, key and sessionid parameters and fields', () => {
    expect(sanitizeUrl('/cb?code=abc&state=s&pwd=p&key=k&sessionid=1&session_id=2&statusCode=200')).toBe(
      '/cb?code=***&state=s&pwd=***&key=***&sessionid=***&session_id=***&statusCode=200',
    );
    expect(redactObject({ code: 'abc', userPwd: 'p', key: 'k', sessionId: 's', keyId: 'kid' })).toEqual({
      code: '***',
      userPwd: '***',
      key: '***',
      sessionId: '***',
      keyId: 'kid',
    });
  });
});

describe('withoutQueryData', () => {
  it("drops a failed query's parameters and PostgreSQL's detail at any depth, keeping the query and code", () => {
    const logged = withoutQueryData({
      type: 'QueryFailedError',
      message: 'invalid byte sequence',
      query: 'SELECT * FROM local_user WHERE username = $1',
      parameters: ['agent\u0000', '$argon2id$secret-hash'],
      driverError: { code: '22021', detail: 'Key (username)=(agent) already exists.', where: 'row 1' },
    });
    expect(logged).toEqual({
      type: 'QueryFailedError',
      message: 'invalid byte sequence',
      query: 'SELECT * FROM local_user WHERE username = $1',
      driverError: { code: '22021' },
    });
  });
});

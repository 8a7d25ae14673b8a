import { parseBasicAuthorization } from '../authorization-header';

const b64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');

describe('parseBasicAuthorization (strict RFC 7617 decoding)', () => {
  it('decodes canonical base64 of user:password (the password may hold colons and UTF-8)', () => {
    expect(parseBasicAuthorization(`Basic ${b64('ops:ops')}`)).toEqual({ username: 'ops', password: 'ops' });
    expect(parseBasicAuthorization(`basic ${b64('app:a:b:ü')}`)).toEqual({ username: 'app', password: 'a:b:ü' });
  });

  it.each([
    ['no separator', `Basic ${b64('opsops')}`],
    ['base64url characters', 'Basic b3Bz_-9wcw=='],
    ['missing padding', `Basic ${b64('ops:ops1').replace(/=+$/, '')}`],
    ['characters after the padding', `Basic ${b64('ops:ops1')}x`],
    ['non-canonical trailing bits', 'Basic b3BzOm9wcx=='],
    ['a NUL byte', `Basic ${b64('ops\u0000:ops')}`],
    ['a control character', `Basic ${b64('ops:o\u0007ps')}`],
    ['invalid UTF-8', `Basic ${Buffer.from([0x6f, 0x3a, 0xff]).toString('base64')}`],
    ['two spaces', `Basic  ${b64('ops:ops')}`],
    ['another scheme', `Bearer ${b64('ops:ops')}`],
  ])('refuses %s', (_label, header) => {
    expect(parseBasicAuthorization(header)).toBeNull();
  });
});

import { isRegisteredRedirectUri, isRegistrableRedirectUri, redirectWith } from '../redirect-uri';

describe('redirect URIs', () => {
  it.each([
    ['https://app.example.com/callback', true],
    ['http://localhost:3000/cb', true],
    ['http://127.0.0.1:8400/cb', true],
    ['http://[::1]/cb', true],
    ['http://app.example.com/cb', false],
    ['http://10.0.0.5/cb', false],
    ['HTTP://app.example.com/cb', false],
    ['http://localhost.evil.example/cb', false],
    ['com.example.app:/oauth2redirect', true],
    ['https://app.example.com/cb?x=1', true],
    ['https://app.example.com/cb#fragment', false],
    ['https://app.example.com/cb#', false],
    ['/relative/path', false],
    ['not a uri', false],
    ['javascript:alert(1)', false],
    ['JavaScript:alert(1)', false],
    ['data:text/html,<script>alert(1)</script>', false],
    ['vbscript:msgbox(1)', false],
    ['VBScript:msgbox(1)', false],
    ['file:///etc/passwd', false],
  ])('registration of %s: %s', (uri, allowed) => {
    expect(isRegistrableRedirectUri(uri)).toBe(allowed);
  });

  it.each([
    ['the exact registered string', 'https://app.example.com/cb', true],
    ['a trailing slash more', 'https://app.example.com/cb/', false],
    ['another case', 'https://APP.example.com/cb', false],
    ['a prefix of it', 'https://app.example.com/c', false],
    ['a longer path', 'https://app.example.com/cb/evil', false],
    ['an added query', 'https://app.example.com/cb?x=1', false],
    ['encoded differently', 'https://app.example.com/%63b', false],
  ])('matching %s: %s', (_case, candidate, matches) => {
    expect(isRegisteredRedirectUri(['https://app.example.com/cb'], candidate)).toBe(matches);
  });

  it('puts the response in the query or in the fragment, state last, keeping the registered query', () => {
    const query = redirectWith(
      { redirectUri: 'https://app.example.com/cb?keep=1', responseMode: 'query', state: 's 1' },
      { code: 'abc', unused: undefined },
    );
    expect(query).toBe('https://app.example.com/cb?keep=1&code=abc&state=s+1');
    const fragment = redirectWith(
      { redirectUri: 'https://app.example.com/cb', responseMode: 'fragment' },
      { access_token: 't', token_type: 'bearer' },
    );
    expect(fragment).toBe('https://app.example.com/cb#access_token=t&token_type=bearer');
  });

  it('adds the RFC 9207 iss parameter after state', () => {
    const query = redirectWith(
      {
        redirectUri: 'https://app.example.com/cb',
        responseMode: 'query',
        state: 's',
        issuer: 'https://as.example/auth/v3',
      },
      { code: 'abc' },
    );
    expect(query).toBe('https://app.example.com/cb?code=abc&state=s&iss=https%3A%2F%2Fas.example%2Fauth%2Fv3');
  });
});

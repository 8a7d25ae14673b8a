import type { RegisteredClient } from '../../clients/registered-client';
import { testClient } from '../../clients/__tests__/test-client';
import { parseAuthorizationRequest, type ParsedAuthorization } from '../authorization-request';

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const base = { client_id: 'app', redirect_uri: 'https://app.example.com/cb', response_type: 'code' };

function parse(
  query: Record<string, unknown>,
  client: RegisteredClient | null = testClient(),
): Promise<ParsedAuthorization> {
  return parseAuthorizationRequest(query, (id) => Promise.resolve(client && id === client.clientId ? client : null));
}

describe('authorization request (GET /oauth/authorize)', () => {
  it.each<[string, Record<string, unknown>, RegisteredClient | null, string]>([
    ['no client_id', { redirect_uri: base.redirect_uri, response_type: 'code' }, testClient(), 'invalid_request'],
    ['an unknown client', base, null, 'invalid_client'],
    ['a client_id given twice', { ...base, client_id: ['app', 'app'] }, testClient(), 'invalid_client'],
    ['no redirect_uri', { client_id: 'app', response_type: 'code' }, testClient(), 'invalid_redirect_uri'],
    [
      'an unregistered redirect_uri',
      { ...base, redirect_uri: 'https://evil.example.com/cb' },
      testClient(),
      'invalid_redirect_uri',
    ],
    [
      'a redirect_uri that only starts like the registered one',
      { ...base, redirect_uri: 'https://app.example.com/cb/x' },
      testClient(),
      'invalid_redirect_uri',
    ],
  ])('shows an error page (never redirects) for %s', async (_case, query, client, error) => {
    expect(await parse(query, client)).toEqual({ kind: 'page-error', error });
  });

  it.each<[string, Record<string, unknown>, RegisteredClient, string, RegExp]>([
    [
      'no response_type',
      { client_id: 'app', redirect_uri: base.redirect_uri },
      testClient(),
      'invalid_request',
      /required/,
    ],
    [
      'an unknown response_type',
      { ...base, response_type: 'id_token' },
      testClient(),
      'unsupported_response_type',
      /code or token/,
    ],
    [
      'response_type token without the implicit grant',
      { ...base, response_type: 'token' },
      testClient(),
      'unauthorized_client',
      /token/,
    ],
    [
      'response_type code without the grant',
      base,
      testClient({ authorizedGrantTypes: ['implicit'] }),
      'unauthorized_client',
      /code/,
    ],
    ['a repeated state', { ...base, state: ['a', 'b'] }, testClient(), 'invalid_request', /state is repeated/],
    ['a state over 2048 characters', { ...base, state: 'x'.repeat(2049) }, testClient(), 'invalid_request', /state/],
    [
      'response_type token with response_mode query',
      { ...base, response_type: 'token', response_mode: 'query' },
      testClient({ authorizedGrantTypes: ['implicit'] }),
      'invalid_request',
      /fragment only/,
    ],
    [
      'an unknown response_mode',
      { ...base, response_mode: 'form_post' },
      testClient(),
      'invalid_request',
      /response_mode/,
    ],
    [
      'code_challenge_method plain',
      { ...base, code_challenge: CHALLENGE, code_challenge_method: 'plain' },
      testClient(),
      'invalid_request',
      /S256/,
    ],
    ['a malformed code_challenge', { ...base, code_challenge: 'short' }, testClient(), 'invalid_request', /base64url/],
    [
      'a method without a challenge',
      { ...base, code_challenge_method: 'S256' },
      testClient(),
      'invalid_request',
      /code_challenge is required/,
    ],
    ['a public client without PKCE', base, testClient({ clientType: 'PUBLIC' }), 'invalid_request', /public clients/],
    [
      'PKCE on response_type token',
      { ...base, response_type: 'token', code_challenge: CHALLENGE },
      testClient({ authorizedGrantTypes: ['implicit'] }),
      'invalid_request',
      /code only/,
    ],
    ['a scope not registered', { ...base, scope: 'admin' }, testClient({ scope: ['read'] }), 'invalid_scope', /admin/],
    ['a repeated scope', { ...base, scope: ['a', 'b'] }, testClient(), 'invalid_request', /scope is repeated/],
    [
      'implicit OpenID Connect without a nonce',
      { ...base, response_type: 'token', scope: 'openid' },
      testClient({ authorizedGrantTypes: ['implicit'] }),
      'invalid_request',
      /nonce/,
    ],
    ['an empty nonce', { ...base, nonce: '' }, testClient(), 'invalid_request', /nonce/],
    ['an unknown prompt', { ...base, prompt: 'always' }, testClient(), 'invalid_request', /prompt/],
    [
      'prompt=none with another value',
      { ...base, prompt: 'none login' },
      testClient(),
      'invalid_request',
      /cannot be combined/,
    ],
    [
      'hideTenant other than true or false',
      { ...base, hideTenant: 'yes' },
      testClient(),
      'invalid_request',
      /hideTenant/,
    ],
  ])('redirects an RFC 6749 error for %s', async (_case, query, client, error, description) => {
    const parsed = await parse(query, client);
    expect(parsed.kind).toBe('redirect-error');
    if (parsed.kind !== 'redirect-error') return;
    expect(parsed.error).toBe(error);
    expect(parsed.description).toMatch(description);
    expect(parsed.redirect.redirectUri).toBe(base.redirect_uri);
  });

  it('sends implicit errors to the fragment and code errors to the query, with the state', async () => {
    const implicit = await parse(
      { ...base, response_type: 'token', state: 'st', prompt: 'bad' },
      testClient({ authorizedGrantTypes: ['implicit'] }),
    );
    expect(implicit).toMatchObject({ kind: 'redirect-error', redirect: { responseMode: 'fragment', state: 'st' } });
    const code = await parse({ ...base, state: 'st', prompt: 'bad' });
    expect(code).toMatchObject({ kind: 'redirect-error', redirect: { responseMode: 'query', state: 'st' } });
  });

  it('accepts a complete code request and keeps what the sign-in needs', async () => {
    const parsed = await parse({
      ...base,
      scope: 'openid read',
      state: 'xyz',
      nonce: 'n-1',
      code_challenge: CHALLENGE,
      code_challenge_method: 'S256',
      prompt: 'login',
      hideTenant: 'true',
      ui_locales: 'fr_CA de',
      login_hint: 't100\\agent1',
    });
    expect(parsed).toMatchObject({
      kind: 'ok',
      hideTenant: true,
      locale: 'fr-ca',
      tenant: 't100',
      username: 'agent1',
      request: {
        clientId: 'app',
        redirectUri: base.redirect_uri,
        responseType: 'code',
        responseMode: 'query',
        scope: 'openid read',
        state: 'xyz',
        nonce: 'n-1',
        codeChallenge: CHALLENGE,
        codeChallengeMethod: 'S256',
      },
    });
    if (parsed.kind === 'ok') expect([...parsed.prompt]).toEqual(['login']);
  });

  it('grants the registered scopes when none is asked (the same policy as the token endpoint)', async () => {
    const parsed = await parse(base, testClient({ scope: ['read', 'write'] }));
    expect(parsed).toMatchObject({ kind: 'ok', request: { scope: 'read write' } });
  });

  it.each([
    [{ login_hint: 't100\\agent1' }, 't100', 'agent1'],
    [{ login_hint: 'agent1', tenant: 't200' }, 't200', 'agent1'],
    [{ login_hint: 'agent1' }, undefined, 'agent1'],
    [{ tenant: 't300' }, 't300', undefined],
  ])('login_hint and tenant %j pre-fill tenant %s and user %s', async (params, tenant, username) => {
    expect(await parse({ ...base, ...params })).toMatchObject({ kind: 'ok', tenant, username });
  });

  it('ignores a tenant that is not a plain domain name', async () => {
    const parsed = await parse({ ...base, tenant: 'evil<script>' });
    expect(parsed).toMatchObject({ kind: 'ok', tenant: undefined });
  });
});

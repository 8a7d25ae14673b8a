import { type RegisteredClient, allowsGrant, requiresPkce } from '../clients/registered-client';
import { parseTenantUserName } from '../identity/tenant-user-name';
import { grantOfResponseType } from './grant-types';
import { OAuthError } from './oauth-error';
import { CODE_CHALLENGE, type PkceMethod } from './pkce';
import { isRegisteredRedirectUri, type RedirectTarget, type ResponseMode } from './redirect-uri';
import { resolveScope, scopeIncludes } from './scope-policy';

/** A validated authorization request (GET /oauth/authorize), kept while the user signs in. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  responseType: 'code' | 'token';
  responseMode: ResponseMode;
  scope: string;
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: PkceMethod;
}

/** Errors that must not go back to the redirect_uri (it is unknown or untrusted): an error page. */
export type PageError = 'invalid_request' | 'invalid_client' | 'invalid_redirect_uri';

/** RFC 6749 §4.1.2.1 errors, returned to the (verified) redirect_uri. */
export type RedirectError =
  | 'invalid_request'
  | 'unauthorized_client'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'login_required';

export type ParsedAuthorization =
  | { kind: 'page-error'; error: PageError }
  | { kind: 'redirect-error'; redirect: RedirectTarget; error: RedirectError; description: string }
  | {
      kind: 'ok';
      client: RegisteredClient;
      request: AuthorizationRequest;
      prompt: Set<string>;
      hideTenant: boolean;
      locale?: string;
      tenant?: string;
      username?: string;
    };

const ALLOWED_PARAMETERS = new Set([
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'response_mode',
  'prompt',
  'hideTenant',
  'locale',
  'ui_locales',
  'tenant',
  'login_hint',
  'type',
  'max_age',
  'include_state',
]);
const PROMPTS = new Set(['none', 'login', 'consent', 'select_account']);
const LOCALE = /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?$/;
const TENANT = /^[\w.-]{1,255}$/;

/**
 * Validates GET /oauth/authorize in the order that keeps it safe: first the client and the exact
 * redirect_uri (until both are known nothing is sent to the redirect_uri), then everything else, whose
 * failures go back to the client as RFC 6749 errors. Scope follows the same policy as the token endpoint.
 */
export async function parseAuthorizationRequest(
  query: Record<string, unknown>,
  findClient: (clientId: string) => Promise<RegisteredClient | null>,
): Promise<ParsedAuthorization> {
  const single = (name: string): string | undefined | null => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') return null; // repeated parameter (RFC 6749 §3.1)
    return value;
  };
  const clientId = single('client_id');
  if (!clientId || clientId.length > 255)
    return { kind: 'page-error', error: clientId === undefined ? 'invalid_request' : 'invalid_client' };
  const client = await findClient(clientId);
  if (!client) return { kind: 'page-error', error: 'invalid_client' };
  const redirectUri = single('redirect_uri');
  if (!redirectUri || !isRegisteredRedirectUri(client.redirectUris, redirectUri))
    return { kind: 'page-error', error: 'invalid_redirect_uri' };

  const responseType = single('response_type');
  const state = single('state');
  const responseModeParam = single('response_mode');
  const defaultMode = responseType === 'token' ? 'fragment' : 'query';
  const responseMode =
    responseModeParam === 'query' || responseModeParam === 'fragment' ? responseModeParam : defaultMode;
  const redirect: RedirectTarget = { redirectUri, responseMode, state: typeof state === 'string' ? state : undefined };
  const fail = (error: RedirectError, description: string): ParsedAuthorization => ({
    kind: 'redirect-error',
    redirect,
    error,
    description,
  });

  for (const name of Object.keys(query)) {
    if (typeof query[name] !== 'string' && ALLOWED_PARAMETERS.has(name))
      return fail('invalid_request', `${name} is repeated`);
  }
  if (state === null || (state !== undefined && state.length > 2048))
    return fail('invalid_request', 'state is invalid');
  if (responseModeParam !== undefined && responseModeParam !== 'query' && responseModeParam !== 'fragment') {
    return fail('invalid_request', 'response_mode must be query or fragment');
  }
  if (responseType === undefined) return fail('invalid_request', 'response_type is required');
  if (responseType !== 'code' && responseType !== 'token')
    return fail('unsupported_response_type', 'response_type must be code or token');
  if (responseType === 'token' && responseModeParam === 'query') {
    // A token in the query string ends up in logs, Referer headers and browser history.
    return fail('invalid_request', 'response_type token is answered in the fragment only');
  }
  if (!allowsGrant(client, grantOfResponseType(responseType))) {
    return fail('unauthorized_client', `the client may not use response_type ${responseType}`);
  }

  const challenge = single('code_challenge');
  const method = single('code_challenge_method');
  if (responseType === 'code') {
    if (method !== undefined && method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
    if (challenge !== undefined && (challenge === null || !CODE_CHALLENGE.test(challenge))) {
      return fail('invalid_request', 'code_challenge must be a base64url SHA-256 digest (43 characters)');
    }
    if (method !== undefined && challenge === undefined) return fail('invalid_request', 'code_challenge is required');
    // RFC 7636 §4.4.1: a client that must use PKCE and sent no code_challenge.
    if (requiresPkce(client) && challenge === undefined) {
      return fail(
        'invalid_request',
        client.clientType === 'PUBLIC'
          ? 'PKCE (code_challenge with S256) is required for public clients'
          : 'PKCE (code_challenge with S256) is required for this client',
      );
    }
  } else if (challenge !== undefined || method !== undefined) {
    return fail('invalid_request', 'PKCE applies to response_type code only');
  }

  const scopeParam = single('scope');
  if (scopeParam === null) return fail('invalid_scope', 'scope is repeated');
  let scope: string;
  try {
    scope = resolveScope(client.scope, scopeParam);
  } catch (error) {
    if (error instanceof OAuthError) return fail('invalid_scope', error.description);
    throw error;
  }

  const nonce = single('nonce');
  if (nonce === null || (nonce !== undefined && (nonce.length === 0 || nonce.length > 512)))
    return fail('invalid_request', 'nonce is invalid');
  if (responseType === 'token' && scopeIncludes(scope, 'openid') && !nonce) {
    return fail('invalid_request', 'nonce is required for implicit OpenID Connect requests');
  }

  const prompt = new Set((single('prompt') ?? '').split(' ').filter(Boolean));
  for (const value of prompt) {
    if (!PROMPTS.has(value)) return fail('invalid_request', 'prompt is invalid');
  }
  if (prompt.has('none') && prompt.size > 1) return fail('invalid_request', 'prompt=none cannot be combined');

  const hideTenantParam = single('hideTenant');
  if (hideTenantParam !== undefined && hideTenantParam !== 'true' && hideTenantParam !== 'false') {
    return fail('invalid_request', 'hideTenant must be true or false');
  }
  const localeParam = single('locale') ?? single('ui_locales')?.split(' ')[0];
  const locale = localeParam && LOCALE.test(localeParam) ? localeParam.toLowerCase().replace('_', '-') : undefined;
  // login_hint `tenant\user` (or `user`, with `tenant`): both parts pre-fill the sign-in page.
  const hint = parseTenantUserName(single('login_hint') ?? '', single('tenant'));
  const tenant = hint.tenant && TENANT.test(hint.tenant) ? hint.tenant : undefined;
  const username = hint.username && hint.username.length <= 512 ? hint.username : undefined;

  return {
    kind: 'ok',
    client,
    prompt,
    hideTenant: hideTenantParam === 'true',
    locale,
    tenant,
    username,
    request: {
      clientId: client.clientId,
      redirectUri,
      responseType,
      responseMode,
      scope,
      state: state ?? undefined,
      nonce: nonce ?? undefined,
      codeChallenge: challenge ?? undefined,
      codeChallengeMethod: challenge ? 'S256' : undefined,
    },
  };
}

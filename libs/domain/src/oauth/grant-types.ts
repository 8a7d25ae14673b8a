export const GRANT_TYPES = {
  REFRESH_TOKEN: 'refresh_token',
  CLIENT_CREDENTIALS: 'client_credentials',
  PASSWORD: 'password',
  AUTHORIZATION_CODE: 'authorization_code',
  IMPLICIT: 'implicit',
  TOKEN_EXCHANGE: 'urn:ietf:params:oauth:grant-type:token-exchange',
  JWT_BEARER: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
} as const;

export type GrantType = (typeof GRANT_TYPES)[keyof typeof GRANT_TYPES];

/** The order the product lists grant types in (seed 001 create answer); we always answer in this order. */
export const GRANT_TYPE_ORDER: readonly GrantType[] = [
  GRANT_TYPES.REFRESH_TOKEN,
  GRANT_TYPES.CLIENT_CREDENTIALS,
  GRANT_TYPES.PASSWORD,
  GRANT_TYPES.AUTHORIZATION_CODE,
  GRANT_TYPES.IMPLICIT,
  GRANT_TYPES.TOKEN_EXCHANGE,
  GRANT_TYPES.JWT_BEARER,
];

/**
 * Internal clients (`internalClient: true`) are service clients: like the product (seed 001 answers six
 * grant types for a request of four), they also get token exchange and jwt-bearer.
 */
export function effectiveGrantTypes(requested: readonly string[], internalClient: boolean): GrantType[] {
  const set = new Set<string>(requested);
  if (internalClient) {
    set.add(GRANT_TYPES.TOKEN_EXCHANGE);
    set.add(GRANT_TYPES.JWT_BEARER);
  }
  return GRANT_TYPE_ORDER.filter((grant) => set.has(grant));
}

/** The grant type an authorization request's `response_type` stands for. */
export function grantOfResponseType(responseType: 'code' | 'token'): GrantType {
  return responseType === 'code' ? GRANT_TYPES.AUTHORIZATION_CODE : GRANT_TYPES.IMPLICIT;
}

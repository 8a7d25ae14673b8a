import type { FastifyRequest } from 'fastify';
import { DomainException } from '@cxauth/domain';
import { envelopeError, ErrorRenderer, httpStatusOf } from '@cxauth/platform';

/**
 * An RFC 6749 §5.2 error (`{"error","error_description"}`), as oidc-provider models them: one class per
 * error code, with its HTTP status and any headers (e.g. `WWW-Authenticate` for invalid_client).
 */
export class OAuthError extends Error {
  constructor(
    public readonly error: string,
    public readonly description: string,
    public readonly status = 400,
    public readonly headers: Record<string, string> = {},
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

export class InvalidRequest extends OAuthError {
  constructor(description: string) {
    super('invalid_request', description);
  }
}

export class InvalidClient extends OAuthError {
  /** 401 with a challenge for the scheme the client tried (Basic by default). */
  constructor(description = 'Client authentication failed', scheme = 'Basic') {
    super('invalid_client', description, 401, {
      'www-authenticate': `${scheme} realm="cxauth", error="invalid_client"`,
    });
  }
}

export class InvalidGrant extends OAuthError {
  constructor(description: string) {
    super('invalid_grant', description);
  }
}

export class UnauthorizedClient extends OAuthError {
  constructor(description: string) {
    super('unauthorized_client', description);
  }
}

export class UnsupportedGrantType extends OAuthError {
  constructor(description: string) {
    super('unsupported_grant_type', description);
  }
}

export class InvalidScope extends OAuthError {
  constructor(description: string) {
    super('invalid_scope', description);
  }
}

export class InvalidTarget extends OAuthError {
  constructor(description: string) {
    super('invalid_target', description);
  }
}

/** RFC 6750 §3: a missing, unknown, expired or revoked bearer token. Envelope body, Bearer challenge. */
export class InvalidBearerToken extends DomainException {
  constructor(
    message = 'The access token is missing, invalid or expired',
    public readonly challenge = 'Bearer realm="cxauth", error="invalid_token"',
  ) {
    super('UNAUTHORIZED', message);
  }
}

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** The OAuth endpoints (`/auth/v3/oauth/*`) answer errors in the RFC 6749 shape; everything else in the envelope. */
export function isOAuthPath(request: FastifyRequest): boolean {
  return /^\/auth\/v3\/oauth\//.test(request.url);
}

/** RFC 6749 shape for any exception: framework errors become invalid_request; unknown ones server_error. */
export function oauthErrorResponse(exception: unknown) {
  if (exception instanceof OAuthError) {
    return {
      httpStatus: exception.status,
      body: { error: exception.error, error_description: exception.description },
      headers: { ...NO_STORE, ...exception.headers },
      expected: true,
    };
  }
  if (exception instanceof DomainException && exception.httpStatus < 500) {
    const error = exception.httpStatus === 401 ? 'invalid_client' : 'invalid_request';
    return {
      httpStatus: exception.httpStatus,
      body: { error, error_description: exception.message },
      headers: NO_STORE,
      expected: true,
    };
  }
  const status = httpStatusOf(exception);
  if (status !== undefined && status < 500) {
    const envelope = envelopeError(exception);
    const message = (envelope.body as { status?: { message?: string } }).status?.message ?? 'The request is malformed';
    return {
      httpStatus: status,
      body: { error: status === 401 ? 'invalid_client' : 'invalid_request', error_description: message },
      headers: NO_STORE,
      expected: true,
    };
  }
  return {
    httpStatus: 500,
    body: { error: 'server_error', error_description: 'The server could not complete the request' },
    headers: NO_STORE,
    expected: false,
  };
}

/** auth-api's error renderer: RFC 6749 on OAuth paths, the envelope elsewhere (plus Bearer challenges). */
export const renderAuthApiError: ErrorRenderer = (exception, request) => {
  if (isOAuthPath(request)) return oauthErrorResponse(exception);
  const response = envelopeError(exception);
  if (exception instanceof InvalidBearerToken) {
    return { ...response, headers: { ...response.headers, 'www-authenticate': exception.challenge } };
  }
  if (exception instanceof OAuthError) {
    // An OAuth error raised outside /oauth/ (e.g. sign-out): keep the envelope, keep the status.
    return {
      httpStatus: exception.status,
      body: { status: { code: exception.status === 401 ? 3 : 1, message: exception.description } },
      headers: exception.headers,
      expected: true,
    };
  }
  return response;
};

import type { FastifyRequest } from 'fastify';
import {
  DirectoryUnavailableException,
  DomainException,
  InvalidBearerToken,
  OAuthError,
  TooManyFailedAttempts,
} from '@cxauth/domain';
import { envelopeError, ErrorRenderer, httpStatusOf, retryAfter, unavailableDependency } from '@cxauth/platform';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** The OAuth endpoints (`/auth/v3/oauth/*`) answer errors in the RFC 6749 shape; everything else in the envelope. */
export function isOAuthPath(request: FastifyRequest): boolean {
  return /^\/auth\/v3\/oauth\//.test(request.url);
}

/** RFC 6749 shape for any exception: framework errors become invalid_request; unknown ones server_error. */
export function oauthErrorResponse(exception: unknown) {
  if (exception instanceof DirectoryUnavailableException) {
    // RFC 6749 §4.1.2.1's temporarily_unavailable: the credentials were not checked, not refused.
    return {
      httpStatus: 503,
      body: {
        error: 'temporarily_unavailable',
        error_description: 'The user directory is unavailable; try again later',
      },
      headers: { ...NO_STORE, 'retry-after': '5' },
      expected: true,
    };
  }
  if (exception instanceof TooManyFailedAttempts) {
    // RFC 6749 has no throttling error: HTTP 429 and Retry-After say it, with the error the
    // credential would have had, so OAuth clients that only read `error` still see a refusal.
    return {
      httpStatus: 429,
      body: {
        error: exception.credential === 'client' ? 'invalid_client' : 'invalid_grant',
        error_description: exception.message,
      },
      headers: { ...NO_STORE, ...retryAfter(exception) },
      expected: true,
    };
  }
  const dependency = unavailableDependency(exception);
  if (dependency) {
    return {
      httpStatus: 503,
      body: { error: 'temporarily_unavailable', error_description: `${dependency} is unavailable; try again` },
      headers: { ...NO_STORE, 'retry-after': '1' },
      expected: true,
    };
  }
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

import { HttpException } from '@nestjs/common';
import { DomainException, ERROR_CODES, ErrorCode, Envelope, TooManyFailedAttempts } from '@cxauth/domain';
import { unavailableDependency } from './dependency-failure';

export interface ErrorResponse {
  httpStatus: number;
  body: unknown;
  headers?: Record<string, string>;
}

const CODE_BY_HTTP_STATUS: Record<number, ErrorCode> = {
  400: 'INVALID_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

/** Errors raised by Fastify itself (body parser, limits) carry a statusCode and an FST_ code. */
interface FrameworkError {
  statusCode?: number;
  code?: string;
  message?: string;
}

/** The envelope answer for any error; unknown errors become a generic 500 (detail goes to the log). */
export function envelopeError(exception: unknown): ErrorResponse & { expected: boolean } {
  if (exception instanceof DomainException) {
    const body: Envelope = { status: { code: exception.statusCode, message: exception.message } };
    if (exception.detail !== undefined) body.status.detail = exception.detail;
    return { httpStatus: exception.httpStatus, body, headers: retryAfter(exception), expected: true };
  }
  const httpStatus = httpStatusOf(exception);
  if (exception instanceof HttpException && isOAuthStyleBody(exception.getResponse())) {
    // Spring-style `{"error","error_description"}` bodies (e.g. ops Basic failures) pass through.
    const headers: Record<string, string> = httpStatus === 401 ? { 'www-authenticate': 'Basic realm="cxauth"' } : {};
    return { httpStatus: exception.getStatus(), body: exception.getResponse(), headers, expected: true };
  }
  if (httpStatus !== undefined && httpStatus < 500) {
    const code = CODE_BY_HTTP_STATUS[httpStatus] ?? 'INVALID_REQUEST';
    return {
      httpStatus,
      body: { status: { code: ERROR_CODES[code].status, message: clientMessage(exception, code) } },
      expected: true,
    };
  }
  const dependency = unavailableDependency(exception);
  if (dependency) {
    return {
      httpStatus: 503,
      body: {
        status: { code: ERROR_CODES.SERVICE_UNAVAILABLE.status, message: `${dependency} is unavailable; try again` },
      },
      headers: { 'retry-after': '1' },
      expected: true,
    };
  }
  const code: ErrorCode = httpStatus === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_ERROR';
  return {
    httpStatus: ERROR_CODES[code].http,
    body: { status: { code: ERROR_CODES[code].status, message: ERROR_CODES[code].message } },
    expected: false,
  };
}

/** `Retry-After` of a temporary lockout (none for a permanent one: it ends when an operator unlocks it). */
export function retryAfter(exception: unknown): Record<string, string> | undefined {
  if (exception instanceof TooManyFailedAttempts && exception.retryAfterSeconds !== null)
    return { 'retry-after': String(exception.retryAfterSeconds) };
  return undefined;
}

function isOAuthStyleBody(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { error?: unknown }).error === 'string' &&
    typeof (body as { error_description?: unknown }).error_description === 'string'
  );
}

export function httpStatusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  const status = (exception as FrameworkError | undefined)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
}

function clientMessage(exception: unknown, code: ErrorCode): string {
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.join('; ');
    return ERROR_CODES[code].message;
  }
  const framework = exception as FrameworkError;
  if (framework.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return ERROR_CODES.PAYLOAD_TOO_LARGE.message;
  if (framework.code?.startsWith('FST_ERR_CTP') || exception instanceof SyntaxError) {
    return framework.message ?? ERROR_CODES[code].message;
  }
  return ERROR_CODES[code].message;
}

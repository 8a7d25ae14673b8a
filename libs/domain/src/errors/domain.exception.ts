import { ERROR_CODES, ErrorCode } from './error-code';

/**
 * A rule of the domain was broken. Thrown anywhere below the controllers and mapped to the
 * envelope once, at the edge (the platform's exception filter).
 */
export class DomainException extends Error {
  public readonly code: ErrorCode;
  public readonly detail?: unknown;

  constructor(code: ErrorCode, message?: string, detail?: unknown) {
    super(message ?? ERROR_CODES[code].message);
    this.name = 'DomainException';
    this.code = code;
    this.detail = detail;
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].http;
  }

  get statusCode(): number {
    return ERROR_CODES[this.code].status;
  }
}

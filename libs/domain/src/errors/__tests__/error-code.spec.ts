import { DomainException } from '../domain.exception';
import { ERROR_CODES, type ErrorCode } from '../error-code';

// Installers' scripts compare these numbers: a change here is a breaking change of the API.
describe('envelope error codes', () => {
  it.each<[ErrorCode, number, number]>([
    ['INVALID_REQUEST', 1, 400],
    ['VALIDATION_FAILED', 2, 400],
    ['UNAUTHORIZED', 3, 401],
    ['FORBIDDEN', 4, 403],
    ['NOT_FOUND', 5, 404],
    ['CONFLICT', 6, 409],
    ['PAYLOAD_TOO_LARGE', 7, 413],
    ['UNSUPPORTED_MEDIA_TYPE', 8, 415],
    ['METHOD_NOT_ALLOWED', 9, 405],
    ['READ_ONLY_REGION', 10, 403],
    ['IN_USE', 11, 409],
    ['TOO_MANY_REQUESTS', 12, 429],
    ['REQUEST_TIMEOUT', 13, 408],
    ['SERVICE_UNAVAILABLE', 14, 503],
    ['INTERNAL_ERROR', 15, 500],
  ])('%s is code %i with HTTP %i', (code, status, http) => {
    expect(ERROR_CODES[code]).toMatchObject({ status, http });
    const exception = new DomainException(code);
    expect(exception.statusCode).toBe(status);
    expect(exception.httpStatus).toBe(http);
    expect(exception.message).toBe(ERROR_CODES[code].message);
  });

  it('has no other codes and no number twice', () => {
    const numbers = Object.values(ERROR_CODES).map((entry) => entry.status);
    expect(numbers).toHaveLength(15);
    expect(new Set(numbers).size).toBe(numbers.length);
  });
});

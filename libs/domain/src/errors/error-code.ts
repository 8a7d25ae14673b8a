/**
 * Stable error codes. The string is what code and logs use; `status` is the number clients see in
 * `{"status":{"code":N}}` and `http` the HTTP status that goes with it. Never renumber an entry:
 * installers' scripts compare these numbers. README "Error codes" documents this table.
 */
export const ERROR_CODES = {
  INVALID_REQUEST: { status: 1, http: 400, message: 'The request is malformed' },
  VALIDATION_FAILED: { status: 2, http: 400, message: 'The request body failed validation' },
  UNAUTHORIZED: { status: 3, http: 401, message: 'Authentication is required' },
  FORBIDDEN: { status: 4, http: 403, message: 'Not allowed' },
  NOT_FOUND: { status: 5, http: 404, message: 'Not found' },
  CONFLICT: { status: 6, http: 409, message: 'Conflicts with an existing resource' },
  PAYLOAD_TOO_LARGE: { status: 7, http: 413, message: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 8, http: 415, message: 'Unsupported content type' },
  METHOD_NOT_ALLOWED: { status: 9, http: 405, message: 'Method not allowed' },
  READ_ONLY_REGION: { status: 10, http: 403, message: 'This region is read-only' },
  IN_USE: { status: 11, http: 409, message: 'The resource is still in use' },
  TOO_MANY_REQUESTS: { status: 12, http: 429, message: 'Too many requests' },
  REQUEST_TIMEOUT: { status: 13, http: 408, message: 'The request took too long' },
  SERVICE_UNAVAILABLE: { status: 14, http: 503, message: 'A dependency is unavailable' },
  INTERNAL_ERROR: { status: 15, http: 500, message: 'Internal error' },
} as const satisfies Record<string, { status: number; http: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

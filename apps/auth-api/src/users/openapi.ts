import { applyDecorators } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiBody, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';

/** The request body in the OpenAPI document, generated from the zod schema that validates it. */
export function ApiZodBody(schema: z.ZodType) {
  const jsonSchema = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' });
  return ApiBody({ schema: jsonSchema as Record<string, unknown> });
}

const envelopeError = (description: string) => ({
  description,
  schema: {
    type: 'object',
    properties: {
      status: {
        type: 'object',
        properties: { code: { type: 'integer' }, message: { type: 'string' }, detail: {} },
        required: ['code'],
      },
    },
  },
});

const opsUnauthorized = {
  description: 'No or bad ops credentials',
  schema: {
    type: 'object',
    properties: { error: { type: 'string', example: 'Unauthorized' }, error_description: { type: 'string' } },
  },
};

/** An `/auth/v3/ops/users` operation: ops Basic credentials, envelope errors. */
export function ApiOpsUsersOperation(summary: string, errors: Record<number, string> = {}) {
  return applyDecorators(
    ApiOperation({ summary }),
    ApiBasicAuth('ops'),
    ApiResponse({ status: 400, ...envelopeError('Invalid JSON (code 1) or validation failure (code 2)') }),
    ApiResponse({ status: 401, ...opsUnauthorized }),
    ...Object.entries(errors).map(([status, description]) =>
      ApiResponse({ status: Number(status), ...envelopeError(description) }),
    ),
  );
}

/** `POST /auth/v3/change-password`. */
export function ApiChangePasswordOperation() {
  return applyDecorators(
    ApiOperation({ summary: 'Change the password of the bearer token’s user (local directory users only)' }),
    ApiBearerAuth('bearer'),
    ApiResponse({ status: 200, description: 'Changed; every token of the user is revoked' }),
    ApiResponse({ status: 400, ...envelopeError('Invalid body or the new password breaks the policy (code 2)') }),
    ApiResponse({ status: 401, description: 'No or unknown bearer token' }),
    ApiResponse({ status: 403, ...envelopeError('Unable to update password (code 4)') }),
  );
}

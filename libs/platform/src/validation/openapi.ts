import { applyDecorators } from '@nestjs/common';
import { ApiBasicAuth, ApiBody, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';

/** The request body in the OpenAPI document, generated from the same zod schema that validates it. */
export function ApiZodBody(schema: z.ZodType) {
  const jsonSchema = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' });
  return ApiBody({ schema: jsonSchema as Record<string, unknown> });
}

/** An error answer in the `{"status":{"code","message","detail"}}` envelope. */
export function apiEnvelopeError(description: string) {
  return {
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
  };
}

/** An error answer in the RFC 6749 / Spring `{"error","error_description"}` shape. */
export function apiOAuthError(description: string) {
  return {
    description,
    schema: {
      type: 'object',
      properties: { error: { type: 'string' }, error_description: { type: 'string' } },
      required: ['error'],
    },
  };
}

/** An ops API operation: HTTP Basic with the ops credentials, envelope errors. */
export function ApiOpsOperation(summary: string, errors: Record<number, string> = {}) {
  return applyDecorators(
    ApiOperation({ summary }),
    ApiBasicAuth('ops'),
    ApiResponse({ status: 400, ...apiEnvelopeError('Invalid JSON (code 1) or validation failure (code 2)') }),
    ApiResponse({ status: 401, ...apiOAuthError('No or bad ops credentials ({"error":"Unauthorized"})') }),
    ...Object.entries(errors).map(([status, description]) =>
      ApiResponse({ status: Number(status), ...apiEnvelopeError(description) }),
    ),
  );
}

import { applyDecorators } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiBody, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';

/** The request body in the OpenAPI document, generated from the same zod schema that validates it. */
export function ApiEnvelopeBody(schema: z.ZodType) {
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

/** Summary, the two accepted credentials, and the error answers every route can give. */
export function ApiEnvironmentOperation(summary: string, options: { opsOnly?: boolean } = {}) {
  return applyDecorators(
    ApiOperation({ summary }),
    ApiBasicAuth('ops'),
    ...(options.opsOnly ? [] : [ApiBearerAuth('bearer')]),
    ApiResponse({ status: 400, ...envelopeError('Invalid JSON (code 1) or validation failure (code 2)') }),
    ApiResponse({ status: 401, ...envelopeError('No or bad credentials (code 3)') }),
    ApiResponse({ status: 403, ...envelopeError('Not allowed (code 4) or read-only region (code 10)') }),
  );
}

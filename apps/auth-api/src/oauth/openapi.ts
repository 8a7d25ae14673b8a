import { applyDecorators } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';

/** The request body in the OpenAPI document, generated from the zod schema that validates it. */
export function ApiZodRequestBody(schema: z.ZodType) {
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

const oauthError = (description: string) => ({
  description,
  schema: {
    type: 'object',
    properties: { error: { type: 'string' }, error_description: { type: 'string' } },
    required: ['error'],
  },
});

/** An ops API operation (Basic ops credentials, envelope errors). */
export function ApiOpsOperation(summary: string, errors: Record<number, string> = {}) {
  return applyDecorators(
    ApiOperation({ summary }),
    ApiBasicAuth('ops'),
    ApiResponse({ status: 400, ...envelopeError('Invalid JSON (code 1) or validation failure (code 2)') }),
    ApiResponse({ status: 401, ...oauthError('No or bad ops credentials ({"error":"Unauthorized"})') }),
    ...Object.entries(errors).map(([status, description]) => ApiResponse({ status: Number(status), ...envelopeError(description) })),
  );
}

/** An OAuth endpoint: form parameters, client authentication, RFC 6749 errors. */
export function ApiOAuthOperation(summary: string, parameters: Record<string, string>) {
  return applyDecorators(
    ApiOperation({ summary, description: 'Client authentication: HTTP Basic (client_id:client_secret), client_secret_post, or client_id alone for PUBLIC clients.' }),
    ApiConsumes('application/x-www-form-urlencoded', 'application/json'),
    ApiBody({
      schema: {
        type: 'object',
        properties: Object.fromEntries(Object.entries(parameters).map(([name, description]) => [name, { type: 'string', description }])),
      },
    }),
    ApiResponse({ status: 400, ...oauthError('invalid_request, invalid_grant, unauthorized_client, unsupported_grant_type, invalid_scope, invalid_target') }),
    ApiResponse({ status: 401, ...oauthError('invalid_client (with WWW-Authenticate)') }),
  );
}

/** A Bearer-protected endpoint. */
export function ApiBearerOperation(summary: string) {
  return applyDecorators(
    ApiOperation({ summary }),
    ApiBearerAuth('bearer'),
    ApiResponse({ status: 401, ...envelopeError('Missing, unknown or expired token (code 3; WWW-Authenticate: Bearer error="invalid_token")') }),
  );
}

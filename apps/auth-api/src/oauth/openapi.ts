import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { apiEnvelopeError, apiOAuthError, type OperationObject } from '@cxauth/platform';

const INVALID_TOKEN = 'Missing, unknown or expired token (code 3; WWW-Authenticate: Bearer error="invalid_token")';

/** A response of the document: the description and a JSON schema. */
function jsonResponse({ description, schema }: { description: string; schema: Record<string, unknown> }) {
  return { description, content: { 'application/json': { schema } } };
}

/** An OAuth endpoint (a direct route): form parameters, client authentication, RFC 6749 errors. */
export function oauthOperation(summary: string, parameters: Record<string, string>): OperationObject {
  const schema = {
    type: 'object' as const,
    properties: Object.fromEntries(
      Object.entries(parameters).map(([name, description]) => [name, { type: 'string' as const, description }]),
    ),
  };
  return {
    summary,
    description:
      'Client authentication: HTTP Basic (client_id:client_secret), client_secret_post, or client_id alone for PUBLIC clients.',
    parameters: [],
    requestBody: {
      required: true,
      content: { 'application/x-www-form-urlencoded': { schema }, 'application/json': { schema } },
    },
    responses: {
      400: jsonResponse(
        apiOAuthError(
          'invalid_request, invalid_grant, unauthorized_client, unsupported_grant_type, invalid_scope, invalid_target',
        ),
      ),
      401: jsonResponse(apiOAuthError('invalid_client (with WWW-Authenticate)')),
    },
  };
}

/** A Bearer-protected direct route. */
export function bearerOperation(summary: string): OperationObject {
  return {
    summary,
    parameters: [],
    responses: { 401: jsonResponse(apiEnvelopeError(INVALID_TOKEN)) },
    security: [{ bearer: [] }],
  };
}

/** A Bearer-protected Nest route. */
export function ApiBearerOperation(summary: string) {
  return applyDecorators(
    ApiOperation({ summary }),
    ApiBearerAuth('bearer'),
    ApiResponse({ status: 401, ...apiEnvelopeError(INVALID_TOKEN) }),
  );
}

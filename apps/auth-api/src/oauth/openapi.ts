import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { apiEnvelopeError, apiOAuthError } from '@cxauth/platform';

/** An OAuth endpoint: form parameters, client authentication, RFC 6749 errors. */
export function ApiOAuthOperation(summary: string, parameters: Record<string, string>) {
  return applyDecorators(
    ApiOperation({
      summary,
      description:
        'Client authentication: HTTP Basic (client_id:client_secret), client_secret_post, or client_id alone for PUBLIC clients.',
    }),
    ApiConsumes('application/x-www-form-urlencoded', 'application/json'),
    ApiBody({
      schema: {
        type: 'object',
        properties: Object.fromEntries(
          Object.entries(parameters).map(([name, description]) => [name, { type: 'string', description }]),
        ),
      },
    }),
    ApiResponse({
      status: 400,
      ...apiOAuthError(
        'invalid_request, invalid_grant, unauthorized_client, unsupported_grant_type, invalid_scope, invalid_target',
      ),
    }),
    ApiResponse({ status: 401, ...apiOAuthError('invalid_client (with WWW-Authenticate)') }),
  );
}

/** A Bearer-protected endpoint. */
export function ApiBearerOperation(summary: string) {
  return applyDecorators(
    ApiOperation({ summary }),
    ApiBearerAuth('bearer'),
    ApiResponse({
      status: 401,
      ...apiEnvelopeError('Missing, unknown or expired token (code 3; WWW-Authenticate: Bearer error="invalid_token")'),
    }),
  );
}

import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { apiEnvelopeError } from '@cxauth/platform';

/** `POST /auth/v3/change-password`. */
export function ApiChangePasswordOperation() {
  return applyDecorators(
    ApiOperation({ summary: 'Change the password of the bearer token’s user (local directory users only)' }),
    ApiBearerAuth('bearer'),
    ApiResponse({ status: 200, description: 'Changed; every token of the user is revoked' }),
    ApiResponse({ status: 400, ...apiEnvelopeError('Invalid body or the new password breaks the policy (code 2)') }),
    ApiResponse({ status: 401, description: 'No or unknown bearer token' }),
    ApiResponse({ status: 403, ...apiEnvelopeError('Unable to update password (code 4)') }),
  );
}

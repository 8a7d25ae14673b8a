import { applyDecorators } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { apiEnvelopeError } from '@cxauth/platform';

/** Summary, the two accepted credentials, and the error answers every route can give. */
export function ApiEnvironmentOperation(summary: string, options: { opsOnly?: boolean } = {}) {
  return applyDecorators(
    ApiOperation({ summary }),
    ApiBasicAuth('ops'),
    ...(options.opsOnly ? [] : [ApiBearerAuth('bearer')]),
    ApiResponse({ status: 400, ...apiEnvelopeError('Invalid JSON (code 1) or validation failure (code 2)') }),
    ApiResponse({ status: 401, ...apiEnvelopeError('No or bad credentials (code 3)') }),
    ApiResponse({ status: 403, ...apiEnvelopeError('Not allowed (code 4) or read-only region (code 10)') }),
  );
}

import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DomainException, judgeClientSecret } from '@cxauth/domain';
import { APP_CONFIG, SERVICE_LOGGER } from '@cxauth/platform';
import type { AuthApiConfig } from '../auth-api.config';

/**
 * The one place where a client secret chosen by an operator is judged. Like the product, any
 * non-empty secret is accepted (the vendor's installer scripts send `"secret"`) unless the operator
 * sets CLIENT_SECRET_MIN_LENGTH; a weak one is reported here, without the secret — the audit trail
 * records this event from here.
 */
@Injectable()
export class ClientSecretPolicy {
  constructor(
    @Inject(APP_CONFIG) private readonly config: Pick<AuthApiConfig, 'CLIENT_SECRET_MIN_LENGTH'>,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  accept(clientId: string, secret: string): void {
    const minimum = this.config.CLIENT_SECRET_MIN_LENGTH;
    const verdict = judgeClientSecret(secret, minimum);
    if (verdict === 'refused') {
      throw new DomainException(
        'VALIDATION_FAILED',
        `client_secret: must be empty (one is generated) or at least ${minimum} characters`,
      );
    }
    if (verdict === 'weak') {
      // The length only: the value never reaches a log.
      this.logger.warn({ clientId, length: secret.length }, 'weak client secret accepted for client');
    }
  }
}

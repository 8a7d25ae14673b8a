import { DomainException } from '../errors/domain.exception';

/** RFC 6750 §3: a missing, unknown, expired or revoked bearer token. Envelope body, Bearer challenge. */
export class InvalidBearerToken extends DomainException {
  constructor(
    message = 'The access token is missing, invalid or expired',
    public readonly challenge = 'Bearer realm="cxauth", error="invalid_token"',
  ) {
    super('UNAUTHORIZED', message);
  }
}

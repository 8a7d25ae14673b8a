import { DomainException } from './domain.exception';

/**
 * A user directory (Configuration Server gateway, LDAP) could not answer: down, too slow, or its
 * circuit is open. Never a wrong password: the OAuth edge answers 503 `temporarily_unavailable`, the
 * sign-in page an outage page, and failed-password counters must not count it.
 */
export class DirectoryUnavailableException extends DomainException {
  constructor(
    public readonly directory: string,
    reason: string,
  ) {
    super('SERVICE_UNAVAILABLE', `The user directory is unavailable (${directory}): ${reason}`);
    this.name = 'DirectoryUnavailableException';
  }
}

import { Injectable } from '@nestjs/common';
import { TokenService } from '../tokens/token.service';
import { SessionService } from './session.service';

/**
 * Ends everything a user holds: every browser session and every access and refresh token. The one
 * place for it: global sign-out, a password set or changed (ops API, Bearer API, browser form), a
 * user disabled, renamed or deleted.
 */
@Injectable()
export class UserSignOut {
  constructor(
    private readonly sessions: SessionService,
    private readonly tokens: TokenService,
  ) {}

  async signOutEverywhere(userId: string): Promise<void> {
    await this.tokens.revokeSubject(userId);
    await this.sessions.endAllForUser(userId);
  }
}

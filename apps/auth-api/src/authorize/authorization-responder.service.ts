import { Inject, Injectable } from '@nestjs/common';
import {
  AUTHORIZATION_CODE_STORE,
  type AuthorizationCodeStore,
  clientServesUser,
  redirectWith,
  type AuthorizationRequest,
} from '@cxauth/domain';
import { ClientRegistry } from '../clients/client-registry.service';
import { type BrowserSession, SessionService } from '../session/session.service';
import { KeyRing } from '../signing-keys/key-ring.service';
import { TokenService } from '../tokens/token.service';

/** Where the browser goes when an authorization cannot be completed safely. */
export const ERROR_PAGE = '/ui/auth/error.html';

export function errorPage(error: string): string {
  return `${ERROR_PAGE}?error=${encodeURIComponent(error)}`;
}

/**
 * Finishes an authorization for a signed-in user: mints the code (60 s, single use, via the
 * AuthorizationCodeStore) and answers the redirect_uri with `code` and `state` — or, for an implicit
 * client, the access token in the fragment.
 */
@Injectable()
export class AuthorizationResponder {
  constructor(
    @Inject(AUTHORIZATION_CODE_STORE) private readonly codes: AuthorizationCodeStore,
    private readonly clients: ClientRegistry,
    private readonly tokens: TokenService,
    private readonly sessions: SessionService,
    private readonly keys: KeyRing,
  ) {}

  /** The Location to send the browser to. */
  async respond(request: AuthorizationRequest, session: BrowserSession): Promise<string> {
    // The client may have changed while the user was typing: re-check it before sending anything.
    const client = await this.clients.find(request.clientId);
    if (!client || !client.redirectUris.includes(request.redirectUri)) return errorPage('invalid_client');
    const target = {
      redirectUri: request.redirectUri,
      responseMode: request.responseMode,
      state: request.state,
      issuer: this.keys.issuer,
    };
    if (!clientServesUser(client, session.user)) {
      return redirectWith(target, {
        error: 'access_denied',
        error_description: 'the user does not belong to a contact center of this client',
      });
    }
    if (request.responseType === 'token') {
      if (!(client.authorizedGrantTypes as string[]).includes('implicit')) {
        return redirectWith(target, {
          error: 'unauthorized_client',
          error_description: 'the client may not use response_type token',
        });
      }
      await this.sessions.addClient(session, client.clientId);
      // Implicit (RFC 6749 §4.2.2): the access token in the fragment, never a refresh token.
      const issued = await this.tokens.issue({
        client,
        subject: session.user.id,
        scope: request.scope,
        authorities: session.user.authorities,
        user: session.user,
        authTime: session.authTime,
        nonce: request.nonce,
        refresh: false,
      });
      return redirectWith(target, {
        access_token: issued.access_token,
        token_type: issued.token_type,
        expires_in: String(issued.expires_in),
        scope: issued.scope,
        id_token: issued.id_token,
      });
    }
    await this.sessions.addClient(session, client.clientId);
    const code = await this.codes.issue({
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
      scope: request.scope,
      nonce: request.nonce,
      user: session.user,
      authTime: session.authTime,
      sessionId: session.id,
    });
    return redirectWith(target, { code });
  }
}

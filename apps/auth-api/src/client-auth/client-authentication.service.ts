import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import passport from 'passport';
import { type AuthenticatedClient, type ClientRequest, formField } from './authenticated-client';
import { CLIENT_ASSERTION, CLIENT_BASIC, CLIENT_POST, CLIENT_PUBLIC } from './strategies';
import { InvalidClient } from '@cxauth/domain';

/** Token endpoint: client_secret_basic, client_secret_post, PUBLIC client_id, or a jwt-bearer assertion's issuer. */
export const TOKEN_ENDPOINT_CLIENTS = [CLIENT_BASIC, CLIENT_POST, CLIENT_PUBLIC, CLIENT_ASSERTION];
/** Introspection and revocation: client_secret_basic, client_secret_post or a PUBLIC client_id. */
export const TOKEN_MANAGEMENT_CLIENTS = [CLIENT_BASIC, CLIENT_POST, CLIENT_PUBLIC];

function challengeFailure(request: ClientRequest): InvalidClient {
  return new InvalidClient(
    request.headers.authorization || formField(request, 'client_secret') !== undefined
      ? 'Bad client credentials'
      : 'Client authentication is required',
  );
}

/**
 * Runs the passport client strategies (strategies.ts) for a request: the first that accepts names the
 * client. Fails with invalid_client when none does, or when a `client_id` form field next to Basic
 * credentials (seed 001 sends both) names another client.
 */
@Injectable()
export class ClientAuthentication {
  authenticate(request: FastifyRequest, reply: FastifyReply, strategies: string[]): Promise<AuthenticatedClient> {
    return new Promise((resolve, reject) => {
      const settle = (error: unknown, user: AuthenticatedClient | false | undefined) => {
        if (error) return reject(error);
        if (!user) return reject(challengeFailure(request));
        const clientId = formField(request, 'client_id');
        if (clientId !== undefined && clientId !== user.client.clientId) {
          return reject(new InvalidClient('client_id does not match the authenticated client'));
        }
        resolve(user);
      };
      // passport's middleware signature is Express's; it only reads headers and body and calls back.
      const middleware = passport.authenticate(strategies, { session: false }, settle) as (
        request: unknown,
        reply: unknown,
        next: (error?: unknown) => void,
      ) => void;
      middleware(request, reply, (error) => settle(error, false));
    });
  }
}

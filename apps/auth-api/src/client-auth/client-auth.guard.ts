import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { InvalidClient } from '../oauth/oauth.error';
import { type AuthenticatedClient, type ClientRequest, formField } from './authenticated-client';
import { CLIENT_ASSERTION, CLIENT_BASIC, CLIENT_POST, CLIENT_PUBLIC } from './strategies';

function challengeFailure(request: ClientRequest): InvalidClient {
  return new InvalidClient(
    request.headers.authorization || formField(request, 'client_secret') !== undefined
      ? 'Bad client credentials'
      : 'Client authentication is required',
  );
}

function checkClientIdField(request: ClientRequest, user: AuthenticatedClient): void {
  // A `client_id` form field next to Basic credentials (seed 001 sends both) must name the same client.
  const clientId = formField(request, 'client_id');
  if (clientId !== undefined && clientId !== user.client.clientId) {
    throw new InvalidClient('client_id does not match the authenticated client');
  }
}

/** Token endpoint: client_secret_basic, client_secret_post, PUBLIC client_id, or a jwt-bearer assertion's issuer. */
@Injectable()
export class TokenEndpointClientGuard extends AuthGuard([CLIENT_BASIC, CLIENT_POST, CLIENT_PUBLIC, CLIENT_ASSERTION]) {
  override handleRequest<T = AuthenticatedClient>(error: unknown, user: unknown, _info: unknown, context: ExecutionContext): T {
    const request = context.switchToHttp().getRequest<ClientRequest>();
    if (error) throw error;
    if (!user) throw challengeFailure(request);
    checkClientIdField(request, user as AuthenticatedClient);
    return user as T;
  }
}

/** Introspection and revocation: client_secret_basic, client_secret_post or a PUBLIC client_id. */
@Injectable()
export class ClientAuthGuard extends AuthGuard([CLIENT_BASIC, CLIENT_POST, CLIENT_PUBLIC]) {
  override handleRequest<T = AuthenticatedClient>(error: unknown, user: unknown, _info: unknown, context: ExecutionContext): T {
    const request = context.switchToHttp().getRequest<ClientRequest>();
    if (error) throw error;
    if (!user) throw challengeFailure(request);
    checkClientIdField(request, user as AuthenticatedClient);
    return user as T;
  }
}

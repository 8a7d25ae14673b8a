import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { decodeJwt } from 'jose';
import { Strategy as CustomStrategy } from 'passport-custom';
import { parseBasicAuthorization } from '@cxauth/platform';
import { type AuthenticatedClient, type ClientRequest, formField } from './authenticated-client';
import { ClientAuthenticator } from './client-authenticator.service';

export const CLIENT_BASIC = 'oauth-client-basic';
export const CLIENT_POST = 'oauth-client-post';
export const CLIENT_PUBLIC = 'oauth-client-public';
export const CLIENT_ASSERTION = 'oauth-client-assertion';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * client_secret_basic: `Authorization: Basic base64(client_id:client_secret)`. Parsed with the platform's
 * Basic parser (the one the ops API uses) rather than passport-http, whose `new Buffer()` call runs
 * Node's deprecation check on every request.
 */
@Injectable()
export class ClientBasicStrategy extends PassportStrategy(CustomStrategy, CLIENT_BASIC) {
  constructor(private readonly authenticator: ClientAuthenticator) {
    super();
  }

  async validate(request: ClientRequest): Promise<AuthenticatedClient | false> {
    const header = request.headers.authorization;
    const credentials = parseBasicAuthorization(typeof header === 'string' ? header : undefined);
    if (!credentials) return false;
    return (
      (await this.authenticator.withSecret(
        credentials.username,
        credentials.password,
        'client_secret_basic',
        request,
      )) ?? false
    );
  }
}

/** client_secret_post: `client_id` and `client_secret` form fields, without an Authorization header. */
@Injectable()
export class ClientPostStrategy extends PassportStrategy(CustomStrategy, CLIENT_POST) {
  constructor(private readonly authenticator: ClientAuthenticator) {
    super();
  }

  async validate(request: ClientRequest): Promise<AuthenticatedClient | false> {
    const clientId = formField(request, 'client_id');
    const secret = formField(request, 'client_secret');
    if (request.headers.authorization || !clientId || !secret) return false;
    return (await this.authenticator.withSecret(clientId, secret, 'client_secret_post', request)) ?? false;
  }
}

/** PUBLIC clients: `client_id` alone (no Authorization header, no secret). */
@Injectable()
export class ClientPublicStrategy extends PassportStrategy(CustomStrategy, CLIENT_PUBLIC) {
  constructor(private readonly authenticator: ClientAuthenticator) {
    super();
  }

  async validate(request: ClientRequest): Promise<AuthenticatedClient | false> {
    const clientId = formField(request, 'client_id');
    if (request.headers.authorization || !clientId || formField(request, 'client_secret') !== undefined) return false;
    return (await this.authenticator.publicClient(clientId)) ?? false;
  }
}

/**
 * RFC 7523 §3: a jwt-bearer grant may stand alone; its assertion's `iss` names the client and its
 * signature (checked by the grant against the client's registered keys) authenticates it.
 */
@Injectable()
export class ClientAssertionStrategy extends PassportStrategy(CustomStrategy, CLIENT_ASSERTION) {
  constructor(private readonly authenticator: ClientAuthenticator) {
    super();
  }

  async validate(request: ClientRequest): Promise<AuthenticatedClient | false> {
    if (request.headers.authorization || formField(request, 'grant_type') !== JWT_BEARER) return false;
    if (formField(request, 'client_secret') !== undefined) return false;
    const assertion = formField(request, 'assertion');
    if (!assertion) return false;
    let issuer: unknown;
    try {
      issuer = decodeJwt(assertion).iss;
    } catch {
      return false;
    }
    if (typeof issuer !== 'string') return false;
    const clientId = formField(request, 'client_id');
    if (clientId !== undefined && clientId !== issuer) return false;
    return (await this.authenticator.assertionIssuer(issuer)) ?? false;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { assertRedisReady, type DirectController, REDIS, type RedisClient } from '@cxauth/platform';
import type { AuthenticatedClient } from '../client-auth/authenticated-client';
import { ClientAuthentication, TOKEN_ENDPOINT_CLIENTS } from '../client-auth/client-authentication.service';
import { oauthOperation } from '../oauth/openapi';
import { AuthMetrics, type ClientTypeLabel, failureOutcome } from '../metrics/auth-metrics';
import { GrantRegistry } from './grant-registry';
import { assertGrantEligible, InvalidRequest, UnsupportedGrantType, type TokenResponse } from '@cxauth/domain';

const MAX_PARAMETER_LENGTH = 16 * 1024;

/**
 * Request parameters as strings (form-encoded, or a flat JSON object). RFC 6749 §3.2: parameters
 * must not repeat; values that are not strings are refused.
 */
export function readParams(body: unknown): Record<string, string> {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidRequest('The request body must be form parameters');
  }
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (Array.isArray(value)) throw new InvalidRequest(`Parameter ${name} is repeated`);
    if (typeof value !== 'string') throw new InvalidRequest(`Parameter ${name} must be a string`);
    if (value.length > MAX_PARAMETER_LENGTH) throw new InvalidRequest(`Parameter ${name} is too long`);
    params[name] = value;
  }
  return params;
}

export function noStore(reply: FastifyReply): void {
  void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
}

/**
 * POST /auth/v3/oauth/token: authenticates the client, validates grant_type and dispatches to the
 * grant. A direct route (TOKEN_ROUTES): other services mint tokens constantly.
 */
@Injectable()
export class TokenEndpoint {
  constructor(
    private readonly grants: GrantRegistry,
    private readonly clients: ClientAuthentication,
    private readonly metrics: AuthMetrics,
    @Inject(REDIS) private readonly redis: RedisClient,
  ) {}

  /** Counts every answer by grant type, client type and outcome (auth_token_requests_total). */
  async token(request: FastifyRequest, reply: FastifyReply): Promise<TokenResponse> {
    const grantType = (request.body as { grant_type?: unknown } | null | undefined)?.grant_type;
    const grantLabel = typeof grantType === 'string' ? grantType : undefined;
    let clientType: ClientTypeLabel = 'unknown';
    try {
      const authentication = await this.clients.authenticate(request, reply, TOKEN_ENDPOINT_CLIENTS);
      clientType = authentication.client.clientType === 'PUBLIC' ? 'public' : 'confidential';
      const response = await this.issue(request, reply, authentication);
      this.metrics.tokenRequest(grantLabel, clientType, 'success');
      return response;
    } catch (error) {
      this.metrics.tokenRequest(grantLabel, clientType, failureOutcome(error));
      throw error;
    }
  }

  private async issue(
    request: FastifyRequest,
    reply: FastifyReply,
    authentication: AuthenticatedClient,
  ): Promise<TokenResponse> {
    noStore(reply);
    const params = readParams(request.body);
    const grantType = params.grant_type;
    if (!grantType) throw new InvalidRequest('grant_type is required');
    const handler = this.grants.get(grantType);
    if (!handler) throw new UnsupportedGrantType(`Unsupported grant type: ${grantType.slice(0, 100)}`);
    const { client } = authentication;
    assertGrantEligible(client, grantType, authentication.method);
    for (const name of handler.required) {
      if (!params[name]) throw new InvalidRequest(`${name} is required`);
    }
    // Every grant ends by storing an access token in Redis: refuse before the grant's work when it is down.
    if (!handler.checksRedisItself) assertRedisReady(this.redis);
    return handler.handle({ client, authentication, params, source: request.ip, requestId: request.id });
  }
}

export const TOKEN_ROUTES: DirectController<TokenEndpoint> = {
  controller: TokenEndpoint,
  tag: 'OAuth 2.0',
  routes: [
    {
      method: 'POST',
      path: 'oauth/token',
      handler: 'token',
      operation: oauthOperation(
        'Token endpoint (RFC 6749): client_credentials, password, refresh_token, authorization_code, token-exchange, jwt-bearer',
        {
          grant_type: 'the grant type',
          client_id: 'client_secret_post or PUBLIC clients',
          client_secret: 'client_secret_post',
          scope: 'space-separated; * accepted',
          username: 'password grant (tenant\\user or the ops user)',
          password: 'password grant',
          tenant: 'password grant, optional',
          refresh_token: 'refresh_token grant',
          code: 'authorization_code grant',
          redirect_uri: 'authorization_code grant',
          code_verifier: 'authorization_code grant (PKCE S256)',
          subject_token: 'token exchange',
          subject_token_type: 'token exchange',
          actor_token: 'token exchange, optional',
          actor_token_type: 'token exchange, optional',
          audience: 'token exchange, optional',
          resource: 'token exchange, optional',
          requested_token_type: 'token exchange, optional',
          assertion: 'jwt-bearer grant',
        },
      ),
    },
  ],
};

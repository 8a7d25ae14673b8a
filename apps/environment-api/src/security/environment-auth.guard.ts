import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { AUDIT_LOG, type AuditLog, DomainException, LOGIN_THROTTLE, type LoginThrottle } from '@cxauth/domain';
import { APP_CONFIG, OpsCredentials, parseBasicAuthorization, parseBearerAuthorization } from '@cxauth/platform';
import type { EnvironmentApiConfig } from '../environment-api.config';
import { type DenialReason, recordAccessDenied } from './access-denied';
import { BearerTokenValidator } from './bearer-token-validator';
import { OPS_AUTHORITY, OPS_BASIC_ONLY, OPS_ONLY, RequestWithPrincipal } from './principal';

const CHALLENGE = 'Basic realm="cxauth", Bearer realm="cxauth"';

/**
 * HTTP Basic with the ops credentials, or `Authorization: Bearer <token>` from auth-api.
 * A bearer token may use the API when it carries one of ENVIRONMENT_AUTHORITIES (the ops user's
 * password-grant tokens carry ROLE_OPS; the user name alone proves nothing, since a client_credentials
 * token's user name is its client id). Routes marked
 * `@OpsBasicOnly()` take only the Basic ops credentials; routes marked `@OpsOnly()` also a token with ROLE_OPS.
 * No or bad credentials → 401 (code 3, `WWW-Authenticate`); valid but not allowed → 403 (code 4). A
 * wrong ops password is a `sign_in` failure in the audit trail (OpsCredentials); a write refused with
 * 403 is an `access_denied` event (recordAccessDenied).
 */
@Injectable()
export class EnvironmentAuthGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: EnvironmentApiConfig,
    private readonly ops: OpsCredentials,
    private readonly bearer: BearerTokenValidator,
    private readonly reflector: Reflector,
    @Inject(LOGIN_THROTTLE) private readonly throttle: LoginThrottle,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<RequestWithPrincipal>();
    const reply = http.getResponse<FastifyReply>();
    const unauthorized = (message: string) => {
      void reply.header('www-authenticate', CHALLENGE);
      return new DomainException('UNAUTHORIZED', message);
    };
    const header = request.headers.authorization;
    if (!header) throw unauthorized('Full authentication is required: HTTP Basic (ops) or a Bearer token');
    const opsOnly = this.reflector.getAllAndOverride<boolean>(OPS_BASIC_ONLY, [
      context.getHandler(),
      context.getClass(),
    ]);

    if (/^basic\s/i.test(header)) {
      const basic = parseBasicAuthorization(header);
      // Wrong passwords are throttled: 429 (code 12, Retry-After) while the account or source is locked.
      if (!basic || !(await this.ops.verifyThrottled(this.throttle, basic.username, basic.password, request)))
        throw unauthorized('Bad credentials');
      request.principal = { kind: 'ops', username: basic.username, authorities: ['ROLE_OPS'] };
      return true;
    }
    const token = parseBearerAuthorization(header);
    if (!token) throw unauthorized('Unsupported Authorization header: use Basic or Bearer');
    const verdict = await this.bearer.validate(token);
    if (!verdict.valid) throw unauthorized('The access token is invalid or expired');
    const forbidden = async (reason: DenialReason, message: string) => {
      await recordAccessDenied(this.audit, request, verdict, reason);
      return new DomainException('FORBIDDEN', message);
    };
    if (opsOnly) throw await forbidden('ops_basic_only', 'This operation needs the ops credentials (HTTP Basic)');
    const operatorOnly = this.reflector.getAllAndOverride<boolean>(OPS_ONLY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (operatorOnly && !verdict.authorities.includes(OPS_AUTHORITY)) {
      throw await forbidden('ops_only', `This operation needs the ops credentials or a token with ${OPS_AUTHORITY}`);
    }
    const allowed = verdict.authorities.some((authority) => this.config.ENVIRONMENT_AUTHORITIES.includes(authority));
    if (!allowed) {
      throw await forbidden(
        'authority',
        `The token lacks an authority for the environment API (one of ${this.config.ENVIRONMENT_AUTHORITIES.join(', ')})`,
      );
    }
    request.principal = {
      kind: 'bearer',
      username: verdict.username,
      authorities: verdict.authorities,
      contactCenterId: verdict.contactCenterId,
    };
    return true;
  }
}

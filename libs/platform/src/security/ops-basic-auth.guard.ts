import { CanActivate, ExecutionContext, HttpException, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { LOGIN_THROTTLE, type LoginThrottle } from '@cxauth/domain';
import { parseBasicAuthorization } from './authorization-header';
import { OpsCredentials } from './ops-credentials';

/**
 * HTTP Basic with the ops credentials. A failure answers exactly as the product does:
 * 401 `{"error":"Unauthorized","error_description":"Bad credentials"}`; wrong passwords are throttled
 * (429, code 12, `Retry-After` while the ops account or the source IP is locked).
 */
export class OpsUnauthorizedException extends HttpException {
  constructor(description = 'Bad credentials') {
    super({ error: 'Unauthorized', error_description: description }, 401);
  }
}

@Injectable()
export class OpsBasicAuthGuard implements CanActivate {
  constructor(
    private readonly credentials: OpsCredentials,
    @Inject(LOGIN_THROTTLE) private readonly throttle: LoginThrottle,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const basic = parseBasicAuthorization(request.headers.authorization);
    if (!basic) {
      throw new OpsUnauthorizedException('Full authentication is required to access this resource');
    }
    if (!(await this.credentials.verifyThrottled(this.throttle, basic.username, basic.password, request)))
      throw new OpsUnauthorizedException();
    return true;
  }
}

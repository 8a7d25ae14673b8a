import { CanActivate, ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { parseBasicAuthorization } from './authorization-header';
import { OpsCredentials } from './ops-credentials';

/**
 * HTTP Basic with the ops credentials. A failure answers exactly as the product does:
 * 401 `{"error":"Unauthorized","error_description":"Bad credentials"}`.
 */
export class OpsUnauthorizedException extends HttpException {
  constructor(description = 'Bad credentials') {
    super({ error: 'Unauthorized', error_description: description }, 401);
  }
}

@Injectable()
export class OpsBasicAuthGuard implements CanActivate {
  constructor(private readonly credentials: OpsCredentials) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const basic = parseBasicAuthorization(request.headers.authorization);
    if (!basic) {
      throw new OpsUnauthorizedException('Full authentication is required to access this resource');
    }
    if (!(await this.credentials.verify(basic.username, basic.password))) throw new OpsUnauthorizedException();
    return true;
  }
}

import { Controller, Get, Header, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainException, ok } from '@cxauth/domain';
import { SessionService } from './session.service';

/** GET /auth/v3/ping: 200 while the browser session lives (and keeps it alive), 403 otherwise. */
@Controller()
export class PingController {
  constructor(private readonly sessions: SessionService) {}

  @Get('ping')
  @Header('cache-control', 'no-store')
  async ping(@Req() request: FastifyRequest) {
    const session = await this.sessions.current(request);
    if (!session) throw new DomainException('FORBIDDEN', 'No active session');
    return ok();
  }
}

import { Controller, Get, Header, Req } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DomainException, ok } from '@cxauth/domain';
import { SessionService } from './session.service';

/** GET /auth/v3/ping: 200 while the browser session lives (and keeps it alive), 403 otherwise. */
@ApiTags('Browser sign-in')
@Controller()
export class PingController {
  constructor(private readonly sessions: SessionService) {}

  @Get('ping')
  @ApiOperation({ summary: 'Keep the browser session alive: 200 with a live session cookie, 403 otherwise' })
  @ApiResponse({ status: 200, description: '{"status":{"code":0}}' })
  @ApiResponse({ status: 403, description: 'No live session (code 4)' })
  @Header('cache-control', 'no-store')
  async ping(@Req() request: FastifyRequest) {
    const session = await this.sessions.current(request);
    if (!session) throw new DomainException('FORBIDDEN', 'No active session');
    return ok();
  }
}

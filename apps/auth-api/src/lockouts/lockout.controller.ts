import { Controller, Delete, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  clientAccountKey,
  DomainException,
  Envelope,
  LOGIN_THROTTLE,
  type LoginThrottle,
  ok,
  okData,
  parseTenantUserName,
  userAccountKey,
} from '@cxauth/domain';
import { ApiOpsOperation, OpsBasicAuthGuard, ZodValidationPipe, Audited } from '@cxauth/platform';
import { type LockoutQuery, lockoutQuerySchema } from './lockout.query';

/** The throttle's account key for `user=` or `client=` (the same whether or not the account exists). */
function accountOf(query: LockoutQuery): string {
  if (query.client !== undefined) return clientAccountKey(query.client);
  if (query.user === undefined) throw new DomainException('INVALID_REQUEST', 'give user or client');
  const { tenant, username } = parseTenantUserName(query.user);
  return userAccountKey(tenant, username);
}

/** `/auth/v3/ops/lockouts`: brute-force lockouts (LOGIN_*), read and lifted by the operator. */
@ApiTags('Ops lockouts')
@Controller('ops/lockouts')
@UseGuards(OpsBasicAuthGuard)
export class LockoutController {
  constructor(@Inject(LOGIN_THROTTLE) private readonly throttle: LoginThrottle) {}

  @Get()
  @ApiOpsOperation('Failed attempts and lockout of one account (?user=tenant\\name or ?client=id)')
  async status(@Query(new ZodValidationPipe(lockoutQuerySchema)) query: LockoutQuery): Promise<Envelope> {
    return okData(await this.throttle.status(accountOf(query)));
  }

  @Delete()
  @Audited('unlock', (request) => {
    const query = request.query as Record<string, string>;
    return query.user ?? query.client ?? query.source;
  })
  @ApiOpsOperation('Unlock: forget the failed attempts of an account (?user=, ?client=) or a source IP (?source=)')
  async unlock(@Query(new ZodValidationPipe(lockoutQuerySchema)) query: LockoutQuery): Promise<Envelope> {
    if (query.source !== undefined) await this.throttle.resetSource(query.source);
    else await this.throttle.reset(accountOf(query));
    return ok();
  }
}

import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, type Repository } from 'typeorm';
import { Envelope, okData } from '@cxauth/domain';
import { AuditEventEntity } from '@cxauth/persistence';
import { ApiOpsOperation, OpsBasicAuthGuard, ZodValidationPipe } from '@cxauth/platform';
import { type AuditEventsQuery, auditEventsQuerySchema } from './audit-events.query';

/** `/auth/v3/ops/audit-events`: the security event log, newest first. */
@ApiTags('Ops audit events')
@Controller('ops/audit-events')
@UseGuards(OpsBasicAuthGuard)
export class AuditEventsController {
  constructor(@InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>) {}

  @Get()
  @ApiOpsOperation('Audit events (filters: type, user, client, since, until; paging: limit ≤ 500, offset)')
  async list(@Query(new ZodValidationPipe(auditEventsQuerySchema)) query: AuditEventsQuery): Promise<Envelope> {
    const select = this.events.createQueryBuilder('e');
    if (query.type) select.andWhere('e.type = :type', { type: query.type });
    if (query.user) {
      select.andWhere(
        new Brackets((either) => either.where('e.actor = :user', { user: query.user }).orWhere('e.target = :user')),
      );
    }
    if (query.client) select.andWhere('e.client_id = :client', { client: query.client });
    if (query.since) select.andWhere('e.occurred_at >= :since', { since: new Date(query.since) });
    if (query.until) select.andWhere('e.occurred_at <= :until', { until: new Date(query.until) });
    const [rows, total] = await select
      .orderBy('e.occurred_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .take(query.limit)
      .skip(query.offset)
      .getManyAndCount();
    return okData({
      total,
      limit: query.limit,
      offset: query.offset,
      events: rows.map((row) => ({ ...row, id: Number(row.id), occurredAt: row.occurredAt.toISOString() })),
    });
  }
}

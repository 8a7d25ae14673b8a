import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import type { Repository } from 'typeorm';
import type { AuditEvent, AuditLog } from '@cxauth/domain';
import { AuditEventEntity } from '../entities';
import { SERVICE_LOGGER } from '@cxauth/platform';

const clip = (value: string | null | undefined, max: number) => (value == null ? null : value.slice(0, max));

/**
 * The AuditLog port: one row in `audit_event` and one `audit event` log line per event. A failed write
 * is logged and swallowed: an audit outage must not refuse sign-ins (the log line is still written).
 */
@Injectable()
export class DatabaseAuditLog implements AuditLog {
  constructor(
    @InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  async record(event: AuditEvent): Promise<void> {
    const row: Omit<AuditEventEntity, 'id'> = {
      occurredAt: new Date(),
      type: event.type,
      outcome: event.outcome,
      actor: clip(event.actor, 512),
      target: clip(event.target, 512),
      clientId: clip(event.clientId, 255),
      tenant: clip(event.tenant, 255),
      sourceIp: clip(event.sourceIp, 64),
      requestId: clip(event.requestId, 128),
      detail: event.detail ?? null,
    };
    this.logger.info({ audit: { ...row, occurredAt: row.occurredAt.toISOString() } }, 'audit event');
    try {
      await this.events.save(this.events.create(row), { reload: false });
    } catch (error) {
      this.logger.error(
        { err: { message: (error as Error).message }, auditType: event.type },
        'audit event not stored',
      );
    }
  }
}

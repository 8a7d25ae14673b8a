import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AUDIT_LOG } from '@cxauth/domain';
import { AuditEventEntity } from '../entities';
import { DatabaseAuditLog } from './database-audit-log';

/**
 * The audit trail's writer (AUDIT_LOG) for a service: every feature, the platform's throttle and the
 * `@Audited` operations record through it into the shared `audit_event` table.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEventEntity])],
  providers: [{ provide: AUDIT_LOG, useClass: DatabaseAuditLog }],
  exports: [AUDIT_LOG],
})
export class AuditLogModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEventEntity, AuditLogModule } from '@cxauth/persistence';
import { OpsSecurityModule } from '@cxauth/platform';
import { AuditEventsController } from './audit-events.controller';
import { AuditPurge } from './audit-purge.service';

/** The audit trail's reader (ops API) and purge; the writer (AUDIT_LOG) is the shared AuditLogModule. */
@Module({
  imports: [AuditLogModule, TypeOrmModule.forFeature([AuditEventEntity]), OpsSecurityModule],
  controllers: [AuditEventsController],
  providers: [AuditPurge],
  exports: [AuditPurge],
})
export class AuditModule {}

import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AUDIT_LOG } from '@cxauth/domain';
import { AuditEventEntity } from '@cxauth/persistence';
import { OpsSecurityModule } from '@cxauth/platform';
import { AuditEventsController } from './audit-events.controller';
import { AuditPurge } from './audit-purge.service';
import { DatabaseAuditLog } from './database-audit-log';

/** Global: every feature (and the platform's throttle) records through AUDIT_LOG. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEventEntity]), OpsSecurityModule],
  controllers: [AuditEventsController],
  providers: [{ provide: AUDIT_LOG, useClass: DatabaseAuditLog }, AuditPurge],
  exports: [AUDIT_LOG, AuditPurge],
})
export class AuditModule {}

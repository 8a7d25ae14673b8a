import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG } from '@cxauth/platform';
import type { AuditConfig } from './audit.config';

/** pg advisory lock key of the purge (any constant no other lock of the schema uses). */
const PURGE_LOCK = 0x617564_6974; // "audit"
const BATCH = 5_000;
const MAX_BATCHES = 20;

/**
 * Deletes audit events older than AUDIT_RETENTION_DAYS, every AUDIT_PURGE_INTERVAL_SECONDS, in bounded
 * batches (at most 100 000 rows a run; the next run takes the rest). Every replica tries; the one that
 * gets the transaction-scoped advisory lock purges, the others skip.
 */
@Injectable()
export class AuditPurge implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AuditPurge.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AuditConfig,
  ) {}

  onModuleInit(): void {
    if (this.config.AUDIT_PURGE_INTERVAL_SECONDS === 0) return;
    this.timer = setInterval(() => {
      this.purge().catch((error: Error) => this.logger.warn(`audit purge failed: ${error.message}`));
    }, this.config.AUDIT_PURGE_INTERVAL_SECONDS * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Rows deleted, or null when another replica holds the lock. */
  async purge(): Promise<number | null> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = (await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [PURGE_LOCK])) as [
        { locked: boolean },
      ];
      if (!locked) return null;
      let deleted = 0;
      for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
        const result = (await manager.query(
          `DELETE FROM audit_event WHERE id IN (
             SELECT id FROM audit_event WHERE occurred_at < now() - make_interval(days => $1) LIMIT $2)`,
          [this.config.AUDIT_RETENTION_DAYS, BATCH],
        )) as [unknown[], number];
        deleted += result[1];
        if (result[1] < BATCH) break;
      }
      return deleted;
    });
  }
}

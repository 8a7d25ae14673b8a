import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import type { DataSource, QueryRunner } from 'typeorm';
import {
  type HousekeepingJob,
  JobScheduler,
  type JobRun,
  purgeRefreshTokens,
  purgeSigningKeys,
} from '@cxauth/persistence';
import { APP_CONFIG, SERVICE_LOGGER, ServiceMetrics } from '@cxauth/platform';
import type { AuthApiConfig } from '../auth-api.config';
import { KeyRing } from '../signing-keys/key-ring.service';

export const JOBS = {
  REFRESH_TOKEN_PURGE: 'refresh-token-purge',
  SIGNING_KEY_PURGE: 'signing-key-purge',
  SIGNING_KEY_ROTATION: 'signing-key-rotation',
} as const;

/** Checking the active key's age costs one indexed row; the rotation itself is rare. */
const ROTATION_CHECK_INTERVAL_MS = 60_000;
/** The next key is published this long before it signs (at most half the rotation interval). */
const NEXT_KEY_LEAD_SECONDS = 24 * 3600;

/**
 * auth-api's housekeeping: purges refresh tokens that can never be used again and signing keys past
 * their overlap, and rotates the signing key on schedule (SIGNING_KEY_ROTATION_INTERVAL_SECONDS; the
 * previous key keeps verifying for SIGNING_KEY_RETENTION_SECONDS). Every replica schedules the jobs;
 * the advisory lock in JobScheduler lets one run each at a time.
 */
@Injectable()
export class Housekeeping implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly scheduler: JobScheduler;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AuthApiConfig,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
    metrics: ServiceMetrics,
    private readonly keys: KeyRing,
  ) {
    const limits = { batchSize: config.HOUSEKEEPING_BATCH_SIZE, maxBatches: config.HOUSEKEEPING_MAX_BATCHES };
    const intervalMs = config.HOUSEKEEPING_INTERVAL_SECONDS * 1000;
    const jobs: HousekeepingJob[] = [
      {
        name: JOBS.REFRESH_TOKEN_PURGE,
        lockId: 1,
        intervalMs,
        run: (connection) => purgeRefreshTokens(connection, limits, config.HOUSEKEEPING_REVOKED_RETENTION_SECONDS),
      },
      {
        name: JOBS.SIGNING_KEY_PURGE,
        lockId: 2,
        intervalMs,
        run: (connection) => purgeSigningKeys(connection, limits),
      },
    ];
    if (config.SIGNING_KEY_ROTATION_INTERVAL_SECONDS > 0) {
      jobs.push({
        name: JOBS.SIGNING_KEY_ROTATION,
        lockId: 3,
        intervalMs: Math.min(ROTATION_CHECK_INTERVAL_MS, config.SIGNING_KEY_ROTATION_INTERVAL_SECONDS * 1000),
        run: (connection) => this.rotateWhenDue(connection),
      });
    }
    this.scheduler = new JobScheduler(dataSource, jobs, metrics, logger.child({ component: 'housekeeping' }));
  }

  onApplicationBootstrap(): void {
    if (this.config.HOUSEKEEPING_ENABLED) this.scheduler.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.scheduler.stop();
  }

  /** One run of a job now (tests; the schedule calls the same). */
  run(job: (typeof JOBS)[keyof typeof JOBS]): Promise<JobRun> {
    return this.scheduler.runOnce(job);
  }

  /**
   * Publishes the next key once the newest key is within the lead time of the rotation interval; it
   * signs from (newest key's creation + interval), and never sooner than the lead time from now, so
   * relying parties that cache the JWKS learn it first. Nothing to do while a next key is waiting.
   * 1 when it published a key.
   */
  private async rotateWhenDue(connection: QueryRunner): Promise<number> {
    const interval = this.config.SIGNING_KEY_ROTATION_INTERVAL_SECONDS;
    const lead = Math.min(NEXT_KEY_LEAD_SECONDS, Math.floor(interval / 2));
    const [row] = (await connection.query(
      'SELECT extract(epoch FROM now() - max(created_at)) AS age FROM signing_key WHERE retired_at IS NULL',
    )) as { age: string | null }[];
    const age = row?.age === null || row?.age === undefined ? Infinity : Number(row.age);
    if (age < interval - lead) return 0;
    const activatesInSeconds = Math.max(lead, interval - age);
    const { kid } = await this.keys.rotateAt(new Date(Date.now() + activatesInSeconds * 1000));
    this.logger.info({ kid, activatesInSeconds: Math.round(activatesInSeconds) }, 'next signing key published');
    return 1;
  }
}

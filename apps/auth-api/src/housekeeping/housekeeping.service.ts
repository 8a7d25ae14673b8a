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
    @Inject(SERVICE_LOGGER) logger: Logger,
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

  /** Rotates when the newest active key is older than the interval (or there is none); 1 when it rotated. */
  private async rotateWhenDue(connection: QueryRunner): Promise<number> {
    const [row] = (await connection.query(
      'SELECT extract(epoch FROM now() - created_at) AS age FROM signing_key WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1',
    )) as { age: string }[];
    if (row && Number(row.age) < this.config.SIGNING_KEY_ROTATION_INTERVAL_SECONDS) return 0;
    await this.keys.rotate();
    return 1;
  }
}

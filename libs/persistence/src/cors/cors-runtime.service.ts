import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import {
  APP_CONFIG,
  CorsPolicy,
  publishCorsChanged,
  REDIS,
  REDIS_SUBSCRIBER,
  RedisClient,
  SERVICE_LOGGER,
  subscribeCorsChanges,
  type CorsConfig,
  type RedisConfig,
} from '@cxauth/platform';
import { loadCorsOriginValues } from '../entities/environment/cors-origins.query';

/**
 * A service's CORS policy (environment-api and auth-api share the origins in PostgreSQL): loaded from the database at boot, reloaded on every change
 * notification on Redis (any replica's write), and every CORS_REFRESH_INTERVAL_MS as a safety net.
 */
@Injectable()
export class CorsRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly policy: CorsPolicy;
  private unsubscribe?: () => Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: CorsConfig & Pick<RedisConfig, 'REDIS_KEY_PREFIX'>,
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(REDIS_SUBSCRIBER) private readonly subscriber: RedisClient,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {
    this.policy = new CorsPolicy({
      load: () => loadCorsOriginValues(this.dataSource, this.config.LOCATION),
      defaultPolicy: config.CORS_DEFAULT,
      refreshIntervalMs: config.CORS_REFRESH_INTERVAL_MS,
      logger,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      this.unsubscribe = await subscribeCorsChanges(this.subscriber, this.config.REDIS_KEY_PREFIX, () => {
        void this.policy.refresh();
      });
    } catch (error) {
      this.logger.warn({ err: error }, 'CORS change notifications unavailable; relying on the periodic reload');
    }
    await this.policy.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.policy.stop();
    await this.unsubscribe?.().catch(() => undefined);
  }

  /** After a committed write that may change the origins: reload here, and tell every other replica. */
  async changed(): Promise<void> {
    await publishCorsChanged(this.redis, this.config.REDIS_KEY_PREFIX).catch((error: unknown) =>
      this.logger.warn(
        { err: error },
        'could not publish the CORS change; other replicas pick it up on their next reload',
      ),
    );
    await this.policy.refresh();
  }
}

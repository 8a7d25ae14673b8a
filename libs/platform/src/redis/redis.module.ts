import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { RedisConfig } from '../config/config.schema';
import { SERVICE_LOGGER } from '../http/service-logger';
import { ServiceMetrics } from '../metrics/metrics';
import { createRedisClient, RedisClient } from './create-redis-client';

/** The command connection. */
export const REDIS = Symbol('REDIS');
/** A second connection, for SUBSCRIBE (a subscribed connection cannot run other commands). */
export const REDIS_SUBSCRIBER = Symbol('REDIS_SUBSCRIBER');

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(REDIS_SUBSCRIBER) private readonly subscriber: RedisClient,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([quit(this.redis), quit(this.subscriber)]);
  }
}

async function quit(client: RedisClient): Promise<void> {
  try {
    await Promise.race([client.quit(), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
  } finally {
    client.disconnect();
  }
}

const LOGGER_AND_METRICS = [
  { token: SERVICE_LOGGER, optional: true },
  { token: ServiceMetrics, optional: true },
];

function onRedisError(connection: string, logger?: Logger, metrics?: ServiceMetrics) {
  return (error: Error) => {
    metrics?.redisErrors.inc(connection);
    logger?.warn({ err: { message: error.message }, connection }, 'redis connection error');
  };
}

@Global()
@Module({})
export class RedisModule {
  static forRoot(config: RedisConfig): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        {
          provide: REDIS,
          useFactory: (logger?: Logger, metrics?: ServiceMetrics) =>
            createRedisClient(config, 'main', onRedisError('main', logger, metrics)),
          inject: LOGGER_AND_METRICS,
        },
        {
          provide: REDIS_SUBSCRIBER,
          useFactory: (logger?: Logger, metrics?: ServiceMetrics) =>
            createRedisClient(config, 'subscriber', onRedisError('subscriber', logger, metrics)),
          inject: LOGGER_AND_METRICS,
        },
        RedisLifecycle,
      ],
      exports: [REDIS, REDIS_SUBSCRIBER],
    };
  }
}

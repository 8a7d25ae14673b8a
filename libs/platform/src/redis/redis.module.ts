import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { RedisConfig } from '../config/config.schema';
import { SERVICE_LOGGER } from '../http/service-logger';
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

const LOGGER = [{ token: SERVICE_LOGGER, optional: true }];

function logRedisError(logger?: Logger) {
  return (error: Error) => logger?.warn({ err: { message: error.message } }, 'redis connection error');
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
          useFactory: (logger?: Logger) => createRedisClient(config, 'main', logRedisError(logger)),
          inject: LOGGER,
        },
        {
          provide: REDIS_SUBSCRIBER,
          useFactory: (logger?: Logger) => createRedisClient(config, 'subscriber', logRedisError(logger)),
          inject: LOGGER,
        },
        RedisLifecycle,
      ],
      exports: [REDIS, REDIS_SUBSCRIBER],
    };
  }
}

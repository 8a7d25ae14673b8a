import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { RedisConfig } from '../config/config.schema';
import { SERVICE_LOGGER } from '../http/service-logger';
import { ServiceMetrics } from '../metrics/metrics';
import { createRedisClient, RedisClient } from './create-redis-client';
import { checkEvictionPolicy, whenRedisReady } from './redis-readiness';

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

/** Boot stops with the readiness (or check) error rather than leaving a connected client behind. */
async function ready(client: RedisClient, config: RedisConfig, check?: () => Promise<void>): Promise<void> {
  try {
    await whenRedisReady(client, config);
    await check?.();
  } catch (error) {
    client.disconnect();
    throw error;
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

/**
 * Called once the connection is first ready. From then on, the connection's loss (ioredis schedules a
 * reconnect; a deliberate quit does not) and its return are logged once each: from the loss on, requests
 * needing Redis are refused, from the return on they are served again.
 */
function onRedisReady(client: RedisClient, connection: string, logger?: Logger): void {
  let connected = true;
  client.on('reconnecting', () => {
    if (!connected) return;
    connected = false;
    logger?.warn({ connection }, 'redis connection lost');
  });
  client.on('ready', () => {
    connected = true;
    logger?.info({ connection }, 'redis connection ready again');
  });
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
          useFactory: async (logger?: Logger, metrics?: ServiceMetrics) => {
            const client = createRedisClient(config, 'main', onRedisError('main', logger, metrics));
            await ready(client, config, () => checkEvictionPolicy(client, config, logger));
            onRedisReady(client, 'main', logger);
            return client;
          },
          inject: LOGGER_AND_METRICS,
        },
        {
          provide: REDIS_SUBSCRIBER,
          // Made after the main connection passed its checks, so a refused boot leaves no connection open.
          useFactory: async (logger?: Logger, metrics?: ServiceMetrics) => {
            const client = createRedisClient(config, 'subscriber', onRedisError('subscriber', logger, metrics));
            await ready(client, config);
            onRedisReady(client, 'subscriber', logger);
            return client;
          },
          inject: [...LOGGER_AND_METRICS, REDIS],
        },
        RedisLifecycle,
      ],
      exports: [REDIS, REDIS_SUBSCRIBER],
    };
  }
}

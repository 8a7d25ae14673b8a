import type { Logger } from 'pino';
import type { RedisConfig } from '../config/config.schema';
import { DependencyUnavailableError } from '../http/dependency-failure';
import type { RedisClient } from './create-redis-client';

/** Where the service looks for Redis, for error messages (never the password). */
export function describeRedis(config: RedisConfig): string {
  const url = new URL(config.REDIS_URL);
  const where = config.REDIS_NODES ?? url.host;
  return config.REDIS_MODE === 'standalone' ? `${url.protocol}//${where}` : `${config.REDIS_MODE} ${where}`;
}

/**
 * Waits until the client is ready, then turns its offline queue off: from then on a command issued while
 * Redis is away fails at once (503) instead of waiting for a reconnect. Fails with an error naming Redis
 * and the settings when no connection comes up within five command timeouts.
 */
export async function whenRedisReady(client: RedisClient, config: RedisConfig): Promise<void> {
  if (isInMemory(config)) return;
  if (client.status !== 'ready') {
    let lastError: Error | undefined;
    const onError = (error: Error) => (lastError = error);
    client.on('error', onError);
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `Redis is unreachable at ${describeRedis(config)} (check REDIS_URL, REDIS_MODE, REDIS_NODES, REDIS_PASSWORD): ${lastError?.message ?? 'no answer'}`,
              ),
            ),
          config.REDIS_COMMAND_TIMEOUT_MS * 5,
        );
        client.once('ready', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    } finally {
      client.off('error', onError);
    }
  }
  client.options.enableOfflineQueue = false;
}

/**
 * Refuses at once (503) when the connection is known to be down (closed, reconnecting, or connected but
 * not ready, e.g. Redis still loading its AOF), before a request does work whose result it could not
 * store: a refresh would otherwise rotate and un-rotate in PostgreSQL, a password grant hash the password.
 * The local run's in-process stand-in has no connection state and always passes.
 */
export function assertRedisReady(client: RedisClient): void {
  const { status } = client as { status?: string };
  if (status !== undefined && status !== 'ready') throw new DependencyUnavailableError('Redis');
}

/**
 * Redis holds access tokens, codes and sessions: an eviction policy other than `noeviction` drops them
 * silently when memory runs out (users signed out). Warns, or refuses with REDIS_REQUIRE_NOEVICTION.
 * Managed Redis that forbids CONFIG is reported and not refused.
 */
export async function checkEvictionPolicy(client: RedisClient, config: RedisConfig, logger?: Logger): Promise<void> {
  if (isInMemory(config)) return;
  let policy: string | undefined;
  try {
    const reply = (await client.call('CONFIG', 'GET', 'maxmemory-policy')) as string[];
    policy = reply[1];
  } catch (error) {
    logger?.warn({ err: { message: (error as Error).message } }, 'could not read Redis maxmemory-policy');
    return;
  }
  if (policy === undefined || policy === 'noeviction') return;
  const message = `Redis at ${describeRedis(config)} has maxmemory-policy ${policy}: it may evict access tokens, codes and sessions when full; set maxmemory-policy noeviction`;
  if (config.REDIS_REQUIRE_NOEVICTION) throw new Error(`${message} (REDIS_REQUIRE_NOEVICTION is true)`);
  logger?.warn({ maxmemoryPolicy: policy }, message);
}

/** The local run's in-process stand-in has neither connection states nor CONFIG. */
function isInMemory(config: RedisConfig): boolean {
  return config.REDIS_URL.startsWith('memory:');
}

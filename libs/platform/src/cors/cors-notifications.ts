import type { RedisClient } from '../redis/create-redis-client';

/** Published (with the service's key prefix) whenever a write changes the allowed origins. */
export const CORS_CHANGED_CHANNEL = 'cors:changed';

export function corsChannel(prefix: string): string {
  return `${prefix}${CORS_CHANGED_CHANNEL}`;
}

/** Tells every replica of every service sharing this Redis (and prefix) to reload its origins. */
export async function publishCorsChanged(redis: RedisClient, prefix: string): Promise<void> {
  await redis.publish(corsChannel(prefix), String(Date.now()));
}

/**
 * Calls `onChange` for every change notification. The subscriber connection is dedicated (a
 * subscribed connection cannot run other commands). Returns the unsubscribe function.
 */
export async function subscribeCorsChanges(
  subscriber: RedisClient,
  prefix: string,
  onChange: () => void,
): Promise<() => Promise<void>> {
  const channel = corsChannel(prefix);
  const listener = (received: string) => {
    if (received === channel) onChange();
  };
  subscriber.on('message', listener);
  await subscriber.subscribe(channel);
  return async () => {
    subscriber.off('message', listener);
    await subscriber.unsubscribe(channel).catch(() => undefined);
  };
}

import type { Socket } from 'node:net';
import { TEST_REDIS_URL, uniqueRedisPrefix } from '@cxauth/testing';
import { CoalescingRedis, createRedisClient, redisConfigSchema } from '@cxauth/platform';

/** The socket's Writable implementation methods: one call is one write to the kernel. */
type SocketWrites = Socket & { _write: (...args: unknown[]) => void; _writev: (...args: unknown[]) => void };

/** ioredis ends its connection setup with CLIENT SETINFO LIB-VER, sent after a file read; wait for it. */
async function connectionSetUp(redis: CoalescingRedis): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    if (redis.status === 'ready') return reject(new Error('spy on the socket before the connection is ready'));
    redis.once('connect', () => {
      const socket = redis.stream as SocketWrites;
      const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
      socket.write = ((...args: unknown[]) => {
        if (String(args[0]).includes('LIB-VER')) {
          socket.write = write as Socket['write'];
          setImmediate(resolve);
        }
        return write(...args);
      }) as Socket['write'];
    });
  });
}

// Real Redis: what reaches the socket when commands are issued in one event-loop turn or in several.
describe('CoalescingRedis (real Redis)', () => {
  const prefix = uniqueRedisPrefix();
  let redis: CoalescingRedis;
  let writes: jest.SpyInstance;
  let batchedWrites: jest.SpyInstance;

  beforeAll(async () => {
    const client = createRedisClient(redisConfigSchema.parse({ REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix }));
    expect(client).toBeInstanceOf(CoalescingRedis);
    redis = client as CoalescingRedis;
    await connectionSetUp(redis);
  });
  beforeEach(async () => {
    // Let the previous test's writes flush before counting.
    await new Promise((resolve) => setImmediate(resolve));
    const socket = redis.stream as SocketWrites;
    writes = jest.spyOn(socket, '_write');
    batchedWrites = jest.spyOn(socket, '_writev');
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys.map((key) => key.slice(prefix.length)));
    redis.disconnect();
  });

  it('sends the commands of one turn in a single writev, each with its own reply', async () => {
    const keys = Array.from({ length: 50 }, (_, i) => `turn:${i}`);
    const replies = await Promise.all(keys.map((key, i) => redis.set(key, String(i), 'EX', 60)));

    expect(replies).toEqual(keys.map(() => 'OK'));
    expect(batchedWrites).toHaveBeenCalledTimes(1);
    expect((batchedWrites.mock.calls[0]![0] as unknown[]).length).toBe(50);
    expect(writes).not.toHaveBeenCalled();
    expect(await redis.mget(...keys)).toEqual(keys.map((_, i) => String(i)));
  });

  it('flushes a lone command in its own turn, so awaiting commands one by one never stalls', async () => {
    for (let i = 0; i < 20; i++) await redis.incr('sequential');

    expect(writes).toHaveBeenCalledTimes(20);
    expect(batchedWrites).not.toHaveBeenCalled();
    expect(await redis.get('sequential')).toBe('20');
  });

  it('keeps the order of commands within a turn', async () => {
    const replies = await Promise.all([
      redis.set('ordered', '1'),
      redis.get('ordered'),
      redis.incr('ordered'),
      redis.get('ordered'),
      redis.del('ordered'),
      redis.get('ordered'),
    ]);

    expect(replies).toEqual(['OK', '1', 2, '2', 1, null]);
  });

  it('adds a pipeline’s write to the turn’s batch', async () => {
    const [pipelined, single] = await Promise.all([
      redis.pipeline().set('piped', 'a').get('piped').exec(),
      redis.set('single', 'b'),
    ]);

    expect(pipelined).toEqual([
      [null, 'OK'],
      [null, 'a'],
    ]);
    expect(single).toBe('OK');
    expect(batchedWrites).toHaveBeenCalledTimes(1);
    expect((batchedWrites.mock.calls[0]![0] as unknown[]).length).toBe(2);
  });

  it('rejects a bad command without disturbing the others of its turn', async () => {
    const [bad, good] = await Promise.allSettled([redis.call('NOSUCHCOMMAND'), redis.set('good', 'yes')]);

    expect(bad).toMatchObject({ status: 'rejected', reason: { message: expect.stringContaining('unknown command') } });
    expect(good).toEqual({ status: 'fulfilled', value: 'OK' });
    expect(batchedWrites).toHaveBeenCalledTimes(1);
  });
});

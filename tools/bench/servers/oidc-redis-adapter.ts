import Redis from 'ioredis';

/**
 * A Redis storage adapter for node-oidc-provider (its adapter interface: upsert, find, findByUid,
 * findByUserCode, destroy, revokeByGrantId, consume), written the way its documentation's example
 * adapter works: one JSON value per model instance with the model's TTL, grant ids as Redis lists.
 * Only the client_credentials/introspection paths are exercised by the benchmark; the rest is
 * complete so the peer is a fair, working provider.
 */
const grantable = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);
const consumable = new Set(['AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

type Payload = Record<string, unknown> & { grantId?: string; userCode?: string; uid?: string; consumed?: number };

export function redisAdapterFactory(
  url: string,
  keyPrefix: string,
): { adapter: new (name: string) => RedisAdapter; client: Redis } {
  const client = new Redis(url, { keyPrefix, enableAutoPipelining: false, maxRetriesPerRequest: 2 });
  class BoundAdapter extends RedisAdapter {
    constructor(name: string) {
      super(name, client);
    }
  }
  return { adapter: BoundAdapter, client };
}

export class RedisAdapter {
  constructor(
    private readonly name: string,
    private readonly client: Redis,
  ) {}

  private key(id: string): string {
    return `${this.name}:${id}`;
  }

  async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
    const key = this.key(id);
    const value = JSON.stringify(payload);
    const needsMulti = (grantable.has(this.name) && payload.grantId) || payload.userCode || payload.uid;
    if (!needsMulti) {
      if (expiresIn) await this.client.set(key, value, 'EX', expiresIn);
      else await this.client.set(key, value);
      return;
    }
    const multi = this.client.multi();
    if (expiresIn) multi.set(key, value, 'EX', expiresIn);
    else multi.set(key, value);
    if (grantable.has(this.name) && payload.grantId) {
      const grantKey = `grant:${payload.grantId}`;
      multi.rpush(grantKey, key);
      if (expiresIn) multi.expire(grantKey, expiresIn, 'GT');
    }
    if (payload.userCode) multi.set(`userCode:${payload.userCode}`, id, 'EX', expiresIn ?? 3600);
    if (payload.uid) multi.set(`uid:${payload.uid}`, id, 'EX', expiresIn ?? 3600);
    await multi.exec();
  }

  async find(id: string): Promise<Payload | undefined> {
    // One round trip either way: consumable models read their "consumed" marker in the same MGET.
    if (!consumable.has(this.name)) {
      const value = await this.client.get(this.key(id));
      return value ? (JSON.parse(value) as Payload) : undefined;
    }
    const [value, consumed] = await this.client.mget(this.key(id), `${this.key(id)}:consumed`);
    if (!value) return undefined;
    const payload = JSON.parse(value) as Payload;
    return consumed ? { ...payload, consumed: Number(consumed) } : payload;
  }

  async findByUid(uid: string): Promise<Payload | undefined> {
    const id = await this.client.get(`uid:${uid}`);
    return id ? this.find(id) : undefined;
  }

  async findByUserCode(userCode: string): Promise<Payload | undefined> {
    const id = await this.client.get(`userCode:${userCode}`);
    return id ? this.find(id) : undefined;
  }

  async destroy(id: string): Promise<void> {
    await this.client.del(this.key(id), `${this.key(id)}:consumed`);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    const grantKey = `grant:${grantId}`;
    // The list holds keys without the connection's keyPrefix (ioredis adds it to every command).
    const keys = await this.client.lrange(grantKey, 0, -1);
    await this.client.del(grantKey, ...keys, ...keys.map((key) => `${key}:consumed`));
  }

  async consume(id: string): Promise<void> {
    const ttl = await this.client.ttl(this.key(id));
    await this.client.set(`${this.key(id)}:consumed`, Math.floor(Date.now() / 1000), 'EX', ttl > 0 ? ttl : 3600);
  }
}

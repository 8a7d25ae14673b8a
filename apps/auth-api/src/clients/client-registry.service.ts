import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { OAuthClientEntity } from '@cxauth/persistence';
import { APP_CONFIG, REDIS, REDIS_SUBSCRIBER, RedisClient, RedisConfig } from '@cxauth/platform';
import { Argon2Gate } from '../crypto/argon2-gate';
import { digestsEqual, secretDigest, RegisteredClient } from '@cxauth/domain';
import { toRegisteredClient } from './client-entity.mapper';

interface CacheEntry {
  client: RegisteredClient | null;
  loadedAt: number;
}

/** A safety net in case an invalidation message is lost (e.g. during a Redis failover). */
const POSITIVE_TTL_MS = 5 * 60_000;
/** Unknown client ids are remembered briefly, so a flood of bad ids does not reach Postgres. */
const NEGATIVE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

/**
 * Clients by id, cached in memory on every replica. A create, update or delete on any replica publishes
 * the client id on a Redis channel and every replica drops its copy (and the verified-secret digest).
 * Also remembers which secret last verified for a client (its SHA-256), so the hot path runs argon2 once.
 */
@Injectable()
export class ClientRegistry implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ClientRegistry.name);
  private readonly cache = new Map<string, CacheEntry>();
  private readonly loading = new Map<string, Promise<RegisteredClient | null>>();
  private readonly generation = new Map<string, number>();
  private readonly verifiedSecrets = new Map<string, Buffer>();
  private readonly channel: string;
  private readonly onMessage = (channel: string, message: string) => {
    if (channel === this.channel) this.evict(message);
  };
  private readonly onReady = () => this.clear();

  constructor(
    @InjectRepository(OAuthClientEntity) private readonly clients: Repository<OAuthClientEntity>,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(REDIS_SUBSCRIBER) private readonly subscriber: RedisClient,
    @Inject(APP_CONFIG) config: RedisConfig,
    private readonly argon2: Argon2Gate,
  ) {
    this.channel = `${config.REDIS_KEY_PREFIX}oauth-client:invalidate`;
  }

  async onModuleInit(): Promise<void> {
    this.subscriber.on('message', this.onMessage);
    // After a reconnect we may have missed invalidations: start from scratch.
    this.subscriber.on('ready', this.onReady);
    await this.subscriber.subscribe(this.channel);
  }

  async onModuleDestroy(): Promise<void> {
    this.subscriber.off('message', this.onMessage);
    this.subscriber.off('ready', this.onReady);
    await this.subscriber.unsubscribe(this.channel).catch(() => undefined);
  }

  /** The client, from memory when possible; null when unknown. */
  async find(clientId: string): Promise<RegisteredClient | null> {
    const entry = this.cache.get(clientId);
    if (entry) {
      const ttl = entry.client ? POSITIVE_TTL_MS : NEGATIVE_TTL_MS;
      if (Date.now() - entry.loadedAt < ttl) return entry.client;
      this.cache.delete(clientId);
    }
    const pending = this.loading.get(clientId);
    if (pending) return pending;
    const load = this.load(clientId).finally(() => this.loading.delete(clientId));
    this.loading.set(clientId, load);
    return load;
  }

  /** Drops the client here and on every other replica. Call after the change is committed. */
  async invalidate(clientId: string): Promise<void> {
    this.evict(clientId);
    try {
      await this.redis.publish(this.channel, clientId);
    } catch (error) {
      // Other replicas fall back to the cache TTL; the change itself is committed.
      this.logger.warn(`could not publish client invalidation: ${(error as Error).message}`);
    }
  }

  /**
   * Checks a client secret against the argon2id hash; a secret that verified before is recognised by
   * its digest without argon2 (constant-time compare).
   */
  async verifySecret(client: RegisteredClient, secret: string): Promise<boolean> {
    if (!client.secretHash) return false;
    if (this.knowsSecret(client, secret)) return true;
    const digest = secretDigest(`${client.clientId}\u0000${secret}`);
    const ok = await this.argon2.verify(client.secretHash, secret).catch(() => false);
    if (ok && this.cache.get(client.clientId)?.client === client) this.verifiedSecrets.set(client.clientId, digest);
    return ok;
  }

  /** The secret verified before (no argon2, no I/O): the hot path, which the brute-force throttle skips. */
  knowsSecret(client: RegisteredClient, secret: string): boolean {
    const known = this.verifiedSecrets.get(client.clientId);
    return known !== undefined && digestsEqual(known, secretDigest(`${client.clientId}\u0000${secret}`));
  }

  private async load(clientId: string): Promise<RegisteredClient | null> {
    const generation = this.generation.get(clientId) ?? 0;
    const entity = await this.clients.findOneBy({ clientId });
    const client = entity ? toRegisteredClient(entity) : null;
    // An invalidation that arrived while we were reading wins: do not cache what may be stale.
    if ((this.generation.get(clientId) ?? 0) === generation) {
      if (this.cache.size >= MAX_ENTRIES) this.clear();
      this.cache.set(clientId, { client, loadedAt: Date.now() });
    }
    return client;
  }

  private evict(clientId: string): void {
    this.cache.delete(clientId);
    this.verifiedSecrets.delete(clientId);
    this.generation.set(clientId, (this.generation.get(clientId) ?? 0) + 1);
  }

  private clear(): void {
    this.cache.clear();
    this.verifiedSecrets.clear();
    for (const [clientId, value] of this.generation) this.generation.set(clientId, value + 1);
  }
}

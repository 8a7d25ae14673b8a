import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import type { Logger } from 'pino';
import { TOKEN_STORE, type TokenStore } from '@cxauth/domain';
import { REDIS, type RedisClient, SERVICE_LOGGER } from '@cxauth/platform';

/** At most this many families wait on one replica; further ones are only logged. */
const MAX_PENDING = 10_000;

/**
 * Family revocations whose Redis half failed because Redis was unreachable. Their PostgreSQL half is
 * committed (the family's refresh tokens no longer work), but the family's access tokens would stay valid
 * in Redis until they expire: this replica revokes them there as soon as its Redis connection is ready
 * again. Kept in memory only — a replica stopped before Redis returns forgets its pending revocations.
 */
@Injectable()
export class PendingFamilyRevocations implements OnModuleInit {
  private readonly pending = new Set<string>();
  private flushing = false;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(TOKEN_STORE) private readonly store: TokenStore,
    @Optional() @Inject(SERVICE_LOGGER) private readonly logger?: Logger,
  ) {}

  onModuleInit(): void {
    this.redis.on('ready', () => void this.flush());
  }

  get size(): number {
    return this.pending.size;
  }

  add(familyId: string): void {
    if (this.pending.size >= MAX_PENDING) {
      this.logger?.warn({ familyId }, 'refresh-token family revoked in PostgreSQL only: too many revocations pending');
      return;
    }
    this.pending.add(familyId);
  }

  /** Applies the pending revocations to Redis; stops at the first failure (the next `ready` resumes). */
  async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (const familyId of [...this.pending]) {
        await this.store.revokeFamily(familyId);
        this.pending.delete(familyId);
      }
    } catch (error) {
      this.logger?.warn({ err: { message: (error as Error).message } }, 'pending family revocations not applied yet');
    } finally {
      this.flushing = false;
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { AccessTokenRecord, TokenStore } from '@cxauth/domain';
import { REDIS, RedisClient, sha256Hex } from '@cxauth/platform';

/**
 * Access-token state in Redis: `at:<sha256(token)>` → the record (JSON), expiring with the token. Index
 * sets per subject and per refresh-token family (hashes only) make "sign out everywhere" and family
 * revocation one read each.
 */
@Injectable()
export class RedisTokenStore implements TokenStore {
  constructor(@Inject(REDIS) private readonly redis: RedisClient) {}

  async save(tokenHash: string, record: AccessTokenRecord, ttlSeconds: number): Promise<void> {
    const ttl = Math.max(1, Math.ceil(ttlSeconds));
    const pipeline = this.redis.multi();
    pipeline.set(accessKey(tokenHash), JSON.stringify(record), 'EX', ttl);
    const subject = subjectKey(record.subject);
    pipeline.sadd(subject, tokenHash);
    // Index sets live as long as their longest token (EXPIRE GT never shortens).
    pipeline.expire(subject, ttl, 'GT');
    pipeline.expire(subject, ttl, 'NX');
    if (record.familyId) {
      const family = familyKey(record.familyId);
      pipeline.sadd(family, tokenHash);
      pipeline.expire(family, ttl, 'GT');
      pipeline.expire(family, ttl, 'NX');
    }
    await pipeline.exec();
  }

  async find(tokenHash: string): Promise<AccessTokenRecord | null> {
    const value = await this.redis.get(accessKey(tokenHash));
    if (!value) return null;
    const record = JSON.parse(value) as AccessTokenRecord;
    return record.expiresAt > Date.now() / 1000 ? record : null;
  }

  async revoke(tokenHash: string): Promise<void> {
    await this.redis.del(accessKey(tokenHash));
  }

  async revokeAllForSubject(subject: string): Promise<number> {
    return this.revokeIndexed(subjectKey(subject));
  }

  async revokeFamily(familyId: string): Promise<number> {
    return this.revokeIndexed(familyKey(familyId));
  }

  private async revokeIndexed(indexKey: string): Promise<number> {
    const hashes = await this.redis.smembers(indexKey);
    if (hashes.length === 0) return 0;
    let revoked = 0;
    // One key per DEL keeps this valid on Redis Cluster (keys hash to different slots).
    const results = await Promise.all(hashes.map((hash) => this.redis.del(accessKey(hash))));
    for (const count of results) revoked += count;
    await this.redis.del(indexKey);
    return revoked;
  }
}

export function accessKey(tokenHash: string): string {
  return `at:${tokenHash}`;
}

function subjectKey(subject: string): string {
  return `at-subject:${sha256Hex(subject)}`;
}

function familyKey(familyId: string): string {
  return `at-family:${familyId}`;
}

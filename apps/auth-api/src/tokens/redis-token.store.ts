import { Inject, Injectable } from '@nestjs/common';
import { type AccessTokenRecord, type TokenStore, sha256Hex } from '@cxauth/domain';
import { REDIS, RedisClient } from '@cxauth/platform';

/** Seconds: the longest access-token lifetime a client may be registered with (one year). */
const MAX_TOKEN_LIFETIME = 365 * 24 * 3600;

/**
 * Access-token state in Redis: `at:<sha256(token)>` → the record (JSON), expiring with the token.
 * Index sorted sets (token hash → expiry) per user and per refresh-token family make "sign out
 * everywhere" and family revocation one read each. Id tokens have no record: the ones revoked one by
 * one are noted by `jti` (`idt-revoked:<jti>`) until they expire. Expired members are trimmed on every add, so an
 * index holds only live tokens. Client-only tokens (client_credentials) are not indexed by subject:
 * a busy client would grow one key without bound. Each command touches one key, so this also works
 * on Redis Cluster (no cross-slot MULTI).
 */
@Injectable()
export class RedisTokenStore implements TokenStore {
  constructor(@Inject(REDIS) private readonly redis: RedisClient) {}

  async save(tokenHash: string, record: AccessTokenRecord, ttlSeconds: number): Promise<void> {
    const ttl = Math.max(1, Math.ceil(ttlSeconds));
    const writes: Promise<unknown>[] = [this.redis.set(accessKey(tokenHash), JSON.stringify(record), 'EX', ttl)];
    if (record.user) writes.push(this.index(subjectKey(record.subject), tokenHash, record.expiresAt, ttl));
    if (record.familyId) writes.push(this.index(familyKey(record.familyId), tokenHash, record.expiresAt, ttl));
    await Promise.all(writes);
  }

  /** Adds a token to an index and drops the index's expired members; the index lives as long as its longest token. */
  private async index(key: string, tokenHash: string, expiresAt: number, ttl: number): Promise<void> {
    await this.redis
      .pipeline()
      .zadd(key, expiresAt, tokenHash)
      .zremrangebyscore(key, '-inf', Math.floor(Date.now() / 1000))
      .expire(key, ttl, 'GT')
      .expire(key, ttl, 'NX')
      .exec();
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
    // Kept as long as any token can live (the longest registrable lifetime), so every earlier one stays dead.
    await this.redis.set(subjectRevokedKey(subject), String(Math.floor(Date.now() / 1000)), 'EX', MAX_TOKEN_LIFETIME);
    return this.revokeIndexed(subjectKey(subject));
  }

  async subjectRevokedAt(subject: string): Promise<number | null> {
    const value = await this.redis.get(subjectRevokedKey(subject));
    return value === null ? null : Number(value);
  }

  async revokeIdToken(jti: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(idTokenRevokedKey(jti), '1', 'EX', Math.max(1, Math.ceil(ttlSeconds)));
  }

  async idTokenRevoked(jti: string): Promise<boolean> {
    return (await this.redis.exists(idTokenRevokedKey(jti))) === 1;
  }

  async revokeFamily(familyId: string): Promise<number> {
    return this.revokeIndexed(familyKey(familyId));
  }

  async markUndeliveredRotation(refreshTokenHash: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(undeliveredKey(refreshTokenHash), '1', 'EX', Math.max(1, Math.ceil(ttlSeconds)));
  }

  async takeUndeliveredRotation(refreshTokenHash: string): Promise<boolean> {
    return (await this.redis.del(undeliveredKey(refreshTokenHash))) === 1;
  }

  private async revokeIndexed(indexKey: string): Promise<number> {
    const hashes = await this.redis.zrange(indexKey, 0, -1);
    if (hashes.length === 0) return 0;
    let revoked = 0;
    // One key per DEL keeps this valid on Redis Cluster (keys hash to different slots).
    const results = await Promise.all(hashes.map((hash) => this.redis.del(accessKey(hash))));
    for (const count of results) revoked += count;
    await this.redis.del(indexKey);
    return revoked;
  }
}

/** A refresh token (by hash) whose rotation's answer may never have reached its client. */
function undeliveredKey(refreshTokenHash: string): string {
  return `rt-undelivered:${refreshTokenHash}`;
}

export function accessKey(tokenHash: string): string {
  return `at:${tokenHash}`;
}

function subjectKey(subject: string): string {
  return `at-user:${sha256Hex(subject)}`;
}

function subjectRevokedKey(subject: string): string {
  return `at-user-revoked:${sha256Hex(subject)}`;
}

/** An id token revoked one by one (RFC 7009), until its `exp`; `jti` is a UUID we minted. */
function idTokenRevokedKey(jti: string): string {
  return `idt-revoked:${jti}`;
}

function familyKey(familyId: string): string {
  return `at-fam:${familyId}`;
}

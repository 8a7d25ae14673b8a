import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { APP_CONFIG } from '@cxauth/platform';
import type { AuthApiConfig } from '../auth-api.config';
import { newOpaqueToken } from './opaque-token';
import { RefreshTokenEntity } from '@cxauth/persistence';
import {
  sha256Hex,
  type RegisteredClient,
  InvalidGrant,
  type RefreshGrant,
  TOKEN_STORE,
  type TokenStore,
} from '@cxauth/domain';
import { AuthMetrics, type FamilyRevocationReason } from '../metrics/auth-metrics';

export interface IssuedRefreshToken {
  token: string;
  familyId: string;
}

/**
 * Refresh tokens, durable in Postgres as SHA-256 hashes. Every use rotates the token; presenting a
 * rotated (or revoked) token again is treated as theft: the whole family, with its access tokens, is revoked.
 */
@Injectable()
export class RefreshTokenService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(TOKEN_STORE) private readonly store: TokenStore,
    @Inject(APP_CONFIG) private readonly config: Pick<AuthApiConfig, 'OPAQUE_TOKEN_FORMAT'>,
    private readonly metrics: AuthMetrics,
  ) {}

  async issue(
    client: RegisteredClient,
    grant: RefreshGrant,
    familyId: string = randomUUID(),
    manager?: EntityManager,
  ): Promise<IssuedRefreshToken> {
    const token = newOpaqueToken(this.config.OPAQUE_TOKEN_FORMAT);
    const entity = new RefreshTokenEntity();
    entity.tokenHash = sha256Hex(token);
    entity.familyId = familyId;
    entity.clientId = client.clientId;
    entity.subject = grant.subject;
    entity.scope = grant.scope;
    entity.grant = {
      authorities: grant.authorities,
      user: grant.user,
      authTime: grant.authTime,
      audience: grant.audience,
    };
    entity.expiresAt = new Date(Date.now() + client.refreshTokenValidity * 1000);
    entity.rotatedAt = null;
    entity.revokedAt = null;
    await (manager ?? this.dataSource.manager).getRepository(RefreshTokenEntity).insert(entity as never);
    return { token, familyId };
  }

  /**
   * Redeems a refresh token: returns its grant and a successor in the same family. A rotated or revoked
   * token revokes the family (committed) and fails with invalid_grant.
   */
  async rotate(token: string, client: RegisteredClient): Promise<{ grant: RefreshGrant; next: IssuedRefreshToken }> {
    let reuseFamily: string | null = null;
    const result = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(RefreshTokenEntity);
      const row = await repository.findOne({
        where: { tokenHash: sha256Hex(token) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row || row.clientId !== client.clientId) return null;
      if (row.rotatedAt || row.revokedAt) {
        reuseFamily = row.familyId;
        await repository.update({ familyId: row.familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
        return null;
      }
      if (row.expiresAt.getTime() <= Date.now()) return null;
      row.rotatedAt = new Date();
      await repository.save(row);
      const grant = toGrant(row);
      const next = await this.issue(client, grant, row.familyId, manager);
      return { grant, next };
    });
    if (reuseFamily) {
      this.metrics.familyRevoked('reuse_detected');
      await this.store.revokeFamily(reuseFamily);
      throw new InvalidGrant('Refresh token has already been used; its token family is revoked');
    }
    if (!result) throw new InvalidGrant('Invalid refresh token');
    return result;
  }

  /** The live grant behind a refresh token (token exchange, introspection); null when unusable. */
  async find(token: string): Promise<(RefreshGrant & { clientId: string; familyId: string; expiresAt: Date }) | null> {
    const row = await this.dataSource.getRepository(RefreshTokenEntity).findOneBy({ tokenHash: sha256Hex(token) });
    if (!row || row.rotatedAt || row.revokedAt || row.expiresAt.getTime() <= Date.now()) return null;
    return { ...toGrant(row), clientId: row.clientId, familyId: row.familyId, expiresAt: row.expiresAt };
  }

  /** RFC 7009 for refresh tokens: revokes the token's family (and its access tokens). */
  async revoke(token: string, clientId: string): Promise<boolean> {
    const row = await this.dataSource.getRepository(RefreshTokenEntity).findOneBy({ tokenHash: sha256Hex(token) });
    if (!row || row.clientId !== clientId) return false;
    await this.revokeFamily(row.familyId, 'revoked');
    return true;
  }

  async revokeFamily(familyId: string, reason: FamilyRevocationReason): Promise<void> {
    this.metrics.familyRevoked(reason);
    await this.dataSource
      .getRepository(RefreshTokenEntity)
      .update({ familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
    await this.store.revokeFamily(familyId);
  }

  /** Global sign-out: every refresh token of the subject. */
  async revokeSubject(subject: string): Promise<number> {
    const result = await this.dataSource
      .getRepository(RefreshTokenEntity)
      .update({ subject, revokedAt: IsNull() }, { revokedAt: new Date() });
    return result.affected ?? 0;
  }
}

function toGrant(row: RefreshTokenEntity): RefreshGrant {
  const stored = row.grant as Partial<Omit<RefreshGrant, 'subject' | 'scope'>>;
  return {
    subject: row.subject,
    scope: row.scope,
    authorities: stored.authorities ?? [],
    user: stored.user,
    authTime: stored.authTime,
    audience: stored.audience,
  };
}

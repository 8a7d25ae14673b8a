import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, Not } from 'typeorm';
import type { AuthApiConfig } from '../auth-api.config';
import { newOpaqueToken } from './opaque-token';
import { RefreshTokenEntity } from '@cxauth/persistence';
import { APP_CONFIG, SecretBox, unavailableDependency } from '@cxauth/platform';
import { PendingFamilyRevocations } from './pending-family-revocations';
import {
  type AccessTokenRecord,
  sha256Hex,
  type RegisteredClient,
  InvalidGrant,
  type RefreshGrant,
  TOKEN_STORE,
  type TokenResponse,
  type TokenStore,
} from '@cxauth/domain';
import { AuthMetrics, type FamilyRevocationReason } from '../metrics/auth-metrics';

export interface IssuedRefreshToken {
  token: string;
  familyId: string;
}

/** A token answer minted but not yet stored: the response and the access token's Redis record. */
export interface RotationAnswer {
  response: TokenResponse;
  accessTokenHash: string;
  record: AccessTokenRecord;
}

const SUCCESSOR_PURPOSE = 'refresh-token.successor';

/**
 * How long a rotation whose commit lost its connection may still be answered with its successor (the
 * database outages this rides out); the grace window covers the rest.
 */
export const UNDELIVERED_ROTATION_SECONDS = 3600;

/**
 * Refresh tokens, durable in Postgres as SHA-256 hashes. Every use rotates the token; presenting a
 * rotated (or revoked) token again is treated as theft: the whole family, with its access tokens, is
 * revoked — except a retry within the grace window, which gets the same answer again.
 */
@Injectable()
export class RefreshTokenService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(TOKEN_STORE) private readonly store: TokenStore,
    private readonly secrets: SecretBox,
    @Inject(APP_CONFIG)
    private readonly config: Pick<AuthApiConfig, 'OPAQUE_TOKEN_FORMAT' | 'REFRESH_TOKEN_REUSE_GRACE_SECONDS'>,
    private readonly metrics: AuthMetrics,
    private readonly pendingRevocations: PendingFamilyRevocations,
  ) {}

  async issue(
    client: RegisteredClient,
    grant: RefreshGrant,
    familyId: string = randomUUID(),
  ): Promise<IssuedRefreshToken> {
    const issued = { token: newOpaqueToken(this.config.OPAQUE_TOKEN_FORMAT), familyId };
    await this.insert(client, grant, issued, this.dataSource.manager);
    return issued;
  }

  private async insert(
    client: RegisteredClient,
    grant: RefreshGrant,
    { token, familyId }: IssuedRefreshToken,
    manager: EntityManager,
  ): Promise<void> {
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
    entity.successor = null;
    entity.replayedAt = null;
    await manager.getRepository(RefreshTokenEntity).insert(entity as never);
  }

  /**
   * Redeems a refresh token. `prepare` mints the answer for the grant and a successor refresh token
   * without storing anything; the successor row and the spend of this token then commit together, with
   * the answer sealed on this row, so a retry within REFRESH_TOKEN_REUSE_GRACE_SECONDS (a lost answer,
   * two tabs at once) gets the same pair back (`replayed`). The caller stores the access token afterwards
   * and, when it cannot and did the rotation itself, calls `undoRotation`. A rotated token presented after the window, or a revoked one, revokes
   * the family (committed) and fails with invalid_grant.
   */
  async rotate(
    token: string,
    client: RegisteredClient,
    prepare: (grant: RefreshGrant, next: IssuedRefreshToken) => Promise<RotationAnswer>,
  ): Promise<{ answer: RotationAnswer; replayed: boolean }> {
    const tokenHash = sha256Hex(token);
    const row = await this.dataSource.getRepository(RefreshTokenEntity).findOneBy({ tokenHash });
    if (!row || row.clientId !== client.clientId) throw new InvalidGrant('Invalid refresh token');
    if (row.rotatedAt || row.revokedAt) {
      const replayed = await this.replayOrRevoke(row);
      // Null: the rotation was undone meanwhile (its answer could not be completed); the token is live again.
      if (replayed) return { answer: replayed, replayed: true };
      return this.rotate(token, client, prepare);
    }
    if (row.expiresAt.getTime() <= Date.now()) throw new InvalidGrant('Invalid refresh token');

    const next: IssuedRefreshToken = { token: newOpaqueToken(this.config.OPAQUE_TOKEN_FORMAT), familyId: row.familyId };
    const answer = await prepare(toGrant(row), next);
    const sealed = this.secrets.seal(JSON.stringify(answer), { purpose: SUCCESSOR_PURPOSE, id: row.id });
    const raced = await this.commitRotation(tokenHash, client, next, sealed);
    if (raced === undefined) return { answer, replayed: false };
    if (raced === null) throw new InvalidGrant('Invalid refresh token');
    const replayed = await this.replayOrRevoke(raced);
    if (!replayed) throw new InvalidGrant('Invalid refresh token');
    return { answer: replayed, replayed: true };
  }

  /**
   * Spends the token and stores its successor in one transaction: undefined when done, else the row a
   * concurrent request spent first (null: gone). When the transaction fails, the commit may still
   * have happened with the answer lost on the way (PostgreSQL unreachable at that instant): that is
   * noted in the token store so a retry after the outage gets the successor rather than a revocation.
   */
  private async commitRotation(
    tokenHash: string,
    client: RegisteredClient,
    next: IssuedRefreshToken,
    sealed: string,
  ): Promise<RefreshTokenEntity | null | undefined> {
    try {
      return await this.spendInTransaction(tokenHash, client, next, sealed);
    } catch (error) {
      await this.store.markUndeliveredRotation(tokenHash, UNDELIVERED_ROTATION_SECONDS).catch(() => undefined);
      throw error;
    }
  }

  private spendInTransaction(
    tokenHash: string,
    client: RegisteredClient,
    next: IssuedRefreshToken,
    sealed: string,
  ): Promise<RefreshTokenEntity | null | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(RefreshTokenEntity);
      const locked = await repository.findOne({ where: { tokenHash }, lock: { mode: 'pessimistic_write' } });
      // A concurrent request (the other tab, a retry) spent it first: answer as its retry.
      if (!locked || locked.rotatedAt || locked.revokedAt) return locked;
      await this.insert(client, toGrant(locked), next, manager);
      // The predecessor's sealed answer has served its purpose once this token is spent.
      await repository.update({ familyId: locked.familyId, successor: Not(IsNull()) }, { successor: null });
      await repository.update({ id: locked.id }, { rotatedAt: new Date(), successor: sealed });
      return undefined;
    });
  }

  /**
   * Spends a refresh token for token exchange (RFC 8693 with a refresh subject token): its grant and a
   * successor in the same family, committed together. No grace window here (the exchange's answer is not
   * sealed): a spent or revoked token revokes the family and fails with invalid_grant.
   */
  async spend(token: string, client: RegisteredClient): Promise<{ grant: RefreshGrant; next: IssuedRefreshToken }> {
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
        return null;
      }
      if (row.expiresAt.getTime() <= Date.now()) return null;
      const grant = toGrant(row);
      const next = { token: newOpaqueToken(this.config.OPAQUE_TOKEN_FORMAT), familyId: row.familyId };
      await this.insert(client, grant, next, manager);
      await repository.update({ id: row.id }, { rotatedAt: new Date() });
      return { grant, next };
    });
    if (reuseFamily) {
      await this.revokeFamily(reuseFamily, 'reuse_detected');
      throw new InvalidGrant('Refresh token has already been used; its token family is revoked');
    }
    if (!result) throw new InvalidGrant('Invalid refresh token');
    return result;
  }

  /**
   * Gives a refresh token back when its rotation's answer could not be completed (the access token could
   * not be stored): the successor is deleted and the token may be presented again.
   */
  async undoRotation(token: string, answer: RotationAnswer): Promise<void> {
    const successor = answer.response.refresh_token;
    if (successor) await this.giveBack(token, successor);
  }

  /**
   * Gives a spent refresh token back and deletes its successor, unless the successor was used or
   * handed out again meanwhile (then nothing changes).
   */
  async giveBack(token: string, successor: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(RefreshTokenEntity);
      const locked = await repository.findOne({
        where: { tokenHash: sha256Hex(token) },
        lock: { mode: 'pessimistic_write' },
      });
      // Once the answer was handed out again (a retry), its holder may use the successor: keep it.
      if (!locked || locked.revokedAt || locked.replayedAt) return;
      const deleted = await repository.delete({ tokenHash: sha256Hex(successor), rotatedAt: IsNull() });
      if (!deleted.affected) return;
      await repository.update({ id: locked.id }, { rotatedAt: null, successor: null });
    });
  }

  /**
   * A spent token presented again: its successor's answer while the successor is unused and either
   * within the grace window or the rotation's answer was noted undelivered (once); else the family goes.
   * Handing the answer out marks the row (`replayed_at`) so the rotation is no longer undone; null when
   * it was undone just before (the token is live again).
   */
  private async replayOrRevoke(row: RefreshTokenEntity): Promise<RotationAnswer | null> {
    const graceMs = this.config.REFRESH_TOKEN_REUSE_GRACE_SECONDS * 1000;
    if (
      row.successor &&
      !row.revokedAt &&
      row.rotatedAt &&
      (Date.now() - row.rotatedAt.getTime() <= graceMs || (await this.undelivered(row.tokenHash)))
    ) {
      const answer = JSON.parse(
        this.secrets.open(row.successor, { purpose: SUCCESSOR_PURPOSE, id: row.id }),
      ) as RotationAnswer;
      // Under the row lock undoRotation takes: either this marks the row first, or the undo came first.
      const marked = await this.dataSource
        .getRepository(RefreshTokenEntity)
        .update({ id: row.id, rotatedAt: Not(IsNull()), revokedAt: IsNull() }, { replayedAt: new Date() });
      return marked.affected ? answer : null;
    }
    await this.revokeFamily(row.familyId, 'reuse_detected');
    throw new InvalidGrant('Refresh token has already been used; its token family is revoked');
  }

  private async undelivered(tokenHash: string): Promise<boolean> {
    return this.store.takeUndeliveredRotation(tokenHash).catch(() => false);
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
    try {
      await this.store.revokeFamily(familyId);
    } catch (error) {
      // Committed in PostgreSQL; the access tokens are revoked in Redis once it is back (this replica).
      if (unavailableDependency(error) === 'Redis') this.pendingRevocations.add(familyId);
      throw error;
    }
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

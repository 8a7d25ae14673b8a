import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainException } from '@cxauth/domain';
import { CorsOriginEntity, CorsRuntime } from '@cxauth/persistence';
import { isForeignKeyViolation, isUniqueViolation } from '../common/db-errors';
import type { CorsOriginRequest } from './dto/cors-origin.dto';

export interface CorsEntryView {
  id: string;
  contactCenterId: string;
  origin: string;
  createdAt: number;
}

export interface CorsView {
  /** Every origin this location allows: `cors-origins` settings plus the entries below. */
  origins: string[];
  /** With no origin configured: what happens (`allow` every origin, or `deny`). */
  default: 'allow' | 'deny';
  /** The rows of this API (deletable by id). */
  entries: CorsEntryView[];
}

@Injectable()
export class CorsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runtime: CorsRuntime,
  ) {}

  async view(): Promise<CorsView> {
    await this.runtime.policy.refresh();
    const rows = await this.dataSource.getRepository(CorsOriginEntity).find({ order: { createdAt: 'ASC', id: 'ASC' } });
    return {
      origins: this.runtime.policy.allowedOrigins,
      default: this.runtime.policy.defaultPolicy,
      entries: rows.map((row) => ({
        id: row.id,
        contactCenterId: row.contactCenterId,
        origin: row.origin,
        createdAt: row.createdAt.getTime(),
      })),
    };
  }

  async add({ data }: CorsOriginRequest): Promise<string> {
    const id = randomUUID();
    try {
      await this.dataSource.transaction(async (manager) => {
        const exists: unknown[] = await manager.query('SELECT 1 FROM contact_center WHERE id = $1 FOR SHARE', [
          data.contactCenterId,
        ]);
        if (exists.length === 0)
          throw new DomainException('NOT_FOUND', `Contact center ${data.contactCenterId} does not exist`);
        await manager.insert(CorsOriginEntity, { id, contactCenterId: data.contactCenterId, origin: data.origin });
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainException(
          'CONFLICT',
          `Origin ${data.origin} is already allowed for contact center ${data.contactCenterId}`,
        );
      }
      if (isForeignKeyViolation(error))
        throw new DomainException('NOT_FOUND', `Contact center ${data.contactCenterId} does not exist`);
      throw error;
    }
    await this.runtime.changed();
    return id;
  }

  async removeById(id: string): Promise<void> {
    const result = await this.dataSource.getRepository(CorsOriginEntity).delete({ id });
    if (!result.affected) throw new DomainException('NOT_FOUND', `CORS entry ${id} does not exist`);
    await this.runtime.changed();
  }

  async remove({ data }: CorsOriginRequest): Promise<void> {
    const result = await this.dataSource
      .getRepository(CorsOriginEntity)
      .delete({ contactCenterId: data.contactCenterId, origin: data.origin });
    if (!result.affected) {
      throw new DomainException(
        'NOT_FOUND',
        `Origin ${data.origin} is not allowed for contact center ${data.contactCenterId}`,
      );
    }
    await this.runtime.changed();
  }
}

import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainException } from '@cxauth/domain';
import { DataCenterEntity } from '@cxauth/persistence';
import { isUniqueViolation } from '../common/db-errors';
import type { CreateDataCenterRequest, UpdateDataCenterRequest } from './dto/data-center.dto';

export interface DataCenterView {
  id: string;
  location: string;
  entryPoint: string;
  readOnly: boolean;
  createdAt: number;
  updatedAt: number;
}

function view(entity: DataCenterEntity): DataCenterView {
  return {
    id: entity.id,
    location: entity.location,
    entryPoint: entity.entryPoint,
    readOnly: entity.readOnly,
    createdAt: entity.createdAt.getTime(),
    updatedAt: entity.updatedAt.getTime(),
  };
}

@Injectable()
export class DataCenterService {
  constructor(private readonly dataSource: DataSource) {}

  async list(): Promise<DataCenterView[]> {
    const rows = await this.dataSource.getRepository(DataCenterEntity).find({ order: { location: 'ASC' } });
    return rows.map(view);
  }

  async get(id: string): Promise<DataCenterView> {
    const entity = await this.dataSource.getRepository(DataCenterEntity).findOneBy({ id });
    if (!entity) throw new DomainException('NOT_FOUND', `Data center ${id} does not exist`);
    return view(entity);
  }

  async create({ data }: CreateDataCenterRequest): Promise<string> {
    const id = randomUUID();
    try {
      await this.dataSource.getRepository(DataCenterEntity).insert({ id, ...data });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new DomainException('CONFLICT', `Data center ${data.location} already exists`);
      throw error;
    }
    return id;
  }

  async update(id: string, { data }: UpdateDataCenterRequest): Promise<void> {
    try {
      await this.dataSource.transaction(async (manager) => {
        const entity = await manager.findOne(DataCenterEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!entity) throw new DomainException('NOT_FOUND', `Data center ${id} does not exist`);
        Object.assign(entity, data);
        await manager.save(entity);
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new DomainException('CONFLICT', `Data center ${data.location} already exists`);
      throw error;
    }
  }

  async remove(id: string): Promise<void> {
    const result = await this.dataSource.getRepository(DataCenterEntity).delete({ id });
    if (!result.affected) throw new DomainException('NOT_FOUND', `Data center ${id} does not exist`);
  }
}

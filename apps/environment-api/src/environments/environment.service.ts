import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainException } from '@cxauth/domain';
import {
  ConfigServerRecord,
  ContactCenterEntity,
  ENVIRONMENT_PASSWORD_SEAL,
  EnvironmentEntity,
} from '@cxauth/persistence';
import { SecretBox } from '@cxauth/platform';
import { isForeignKeyViolation, isUniqueViolation } from '../common/db-errors';
import type { CreateEnvironmentRequest, UpdateEnvironmentRequest } from './dto/environment.dto';

/** What GET answers: every field except the Configuration Server password. */
export interface EnvironmentView {
  id: string;
  username: string;
  connectionProtocol?: string;
  remoteTimeout?: number;
  localTimeout?: number;
  appName: string;
  traceMode?: string;
  tlsEnabled: boolean;
  tenant?: string;
  configServers: ConfigServerRecord[];
  createdAt: number;
  updatedAt: number;
}

export function environmentView(entity: EnvironmentEntity): EnvironmentView {
  return {
    id: entity.id,
    username: entity.username,
    ...(entity.connectionProtocol !== null && { connectionProtocol: entity.connectionProtocol }),
    ...(entity.remoteTimeout !== null && { remoteTimeout: entity.remoteTimeout }),
    ...(entity.localTimeout !== null && { localTimeout: entity.localTimeout }),
    appName: entity.appName,
    ...(entity.traceMode !== null && { traceMode: entity.traceMode }),
    tlsEnabled: entity.tlsEnabled,
    ...(entity.tenant !== null && { tenant: entity.tenant }),
    configServers: entity.configServers,
    createdAt: entity.createdAt.getTime(),
    updatedAt: entity.updatedAt.getTime(),
  };
}

function configServers(list: CreateEnvironmentRequest['data']['configServers']): ConfigServerRecord[] {
  return list.map((server) => ({
    primaryAddress: server.primaryAddress,
    primaryPort: server.primaryPort,
    ...(server.backupAddress !== undefined && { backupAddress: server.backupAddress }),
    ...(server.backupPort !== undefined && { backupPort: server.backupPort }),
    readOnly: server.readOnly,
    locations: server.locations,
  }));
}

@Injectable()
export class EnvironmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
  ) {}

  async list(): Promise<EnvironmentView[]> {
    const rows = await this.dataSource
      .getRepository(EnvironmentEntity)
      .find({ order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(environmentView);
  }

  async get(id: string): Promise<EnvironmentView> {
    return environmentView(await this.find(id));
  }

  async create({ data }: CreateEnvironmentRequest): Promise<string> {
    const repository = this.dataSource.getRepository(EnvironmentEntity);
    const id = data.id ?? randomUUID();
    const entity = repository.create({
      id,
      username: data.username,
      passwordEncrypted: this.sealPassword(id, data.password),
      connectionProtocol: data.connectionProtocol ?? null,
      remoteTimeout: data.remoteTimeout ?? null,
      localTimeout: data.localTimeout ?? null,
      appName: data.appName,
      traceMode: data.traceMode ?? null,
      tlsEnabled: data.tlsEnabled,
      tenant: data.tenant ?? null,
      configServers: configServers(data.configServers),
    });
    try {
      // insert (not save): a caller-supplied id that exists must fail, never overwrite.
      await repository.insert(entity as never);
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainException('CONFLICT', `Environment ${data.id} already exists`);
      throw error;
    }
    return entity.id;
  }

  async update(id: string, { data }: UpdateEnvironmentRequest): Promise<void> {
    if (data.id !== undefined && data.id !== id) {
      throw new DomainException('VALIDATION_FAILED', 'data.id: must match the id in the path (ids cannot change)');
    }
    await this.dataSource.transaction(async (manager) => {
      const entity = await manager.findOne(EnvironmentEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!entity) throw new DomainException('NOT_FOUND', `Environment ${id} does not exist`);
      if (data.username !== undefined) entity.username = data.username;
      if (data.password !== undefined) entity.passwordEncrypted = this.sealPassword(id, data.password);
      if (data.connectionProtocol !== undefined) entity.connectionProtocol = data.connectionProtocol;
      if (data.remoteTimeout !== undefined) entity.remoteTimeout = data.remoteTimeout;
      if (data.localTimeout !== undefined) entity.localTimeout = data.localTimeout;
      if (data.appName !== undefined) entity.appName = data.appName;
      if (data.traceMode !== undefined) entity.traceMode = data.traceMode;
      if (data.tlsEnabled !== undefined) entity.tlsEnabled = data.tlsEnabled;
      if (data.tenant !== undefined) entity.tenant = data.tenant;
      if (data.configServers !== undefined) entity.configServers = configServers(data.configServers);
      await manager.save(entity);
    });
  }

  async remove(id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const entity = await manager.findOne(EnvironmentEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!entity) throw new DomainException('NOT_FOUND', `Environment ${id} does not exist`);
      const users = await manager.count(ContactCenterEntity, { where: { environmentId: id } });
      if (users > 0) {
        throw new DomainException(
          'IN_USE',
          `Environment ${id} is used by ${users} contact center(s); delete them first`,
        );
      }
      try {
        await manager.delete(EnvironmentEntity, { id });
      } catch (error) {
        if (isForeignKeyViolation(error))
          throw new DomainException('IN_USE', `Environment ${id} is used by a contact center`);
        throw error;
      }
    });
  }

  private async find(id: string): Promise<EnvironmentEntity> {
    const entity = await this.dataSource.getRepository(EnvironmentEntity).findOneBy({ id });
    if (!entity) throw new DomainException('NOT_FOUND', `Environment ${id} does not exist`);
    return entity;
  }

  private sealPassword(environmentId: string, password: string): string {
    return this.secrets.seal(password, { purpose: ENVIRONMENT_PASSWORD_SEAL, id: environmentId });
  }
}

import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, Not } from 'typeorm';
import { DomainException } from '@cxauth/domain';
import {
  ContactCenterDirectoryRecord,
  ContactCenterDomainEntity,
  ContactCenterEntity,
  ContactCenterSettingEntity,
  CORS_ORIGINS_SETTING,
  CorsRuntime,
  LDAP_BIND_PASSWORD_SEAL,
} from '@cxauth/persistence';
import { parseOriginList, SecretBox } from '@cxauth/platform';
import { constraintOf, isForeignKeyViolation, isUniqueViolation } from '../common/db-errors';
import type {
  CreateContactCenterRequest,
  UpdateContactCenterRequest,
  UpsertSettingRequest,
} from './dto/contact-center.dto';
import type { ContactCenterDirectoryInput } from './dto/contact-center-directory.dto';

/** The stored directory settings without secrets; `bindPasswordSet` tells whether one is stored. */
export type DirectoryView = Omit<ContactCenterDirectoryRecord, 'ldap'> & {
  ldap?: Omit<NonNullable<ContactCenterDirectoryRecord['ldap']>, 'bindPasswordEncrypted'> & {
    bindPasswordSet: boolean;
  };
};

export interface ContactCenterView {
  id: string;
  environmentId: string;
  domains: string[];
  auth: string;
  directory?: DirectoryView;
  createdAt: number;
  updatedAt: number;
}

function directoryView(record: ContactCenterDirectoryRecord): DirectoryView {
  const { ldap: stored, configServer } = record;
  if (!stored) return { ...(configServer && { configServer }) };
  const { bindPasswordEncrypted, ...ldap } = stored;
  return {
    ...(configServer && { configServer }),
    ldap: { ...ldap, bindPasswordSet: bindPasswordEncrypted !== undefined },
  };
}

const validationFailed = (field: string, message: string) =>
  new DomainException('VALIDATION_FAILED', `${field}: ${message}`, { errors: [{ field, message }] });

export interface SettingView {
  name: string;
  location: string;
  shared: boolean;
  value: string;
  createdAt: number;
  updatedAt: number;
}

function settingView(entity: ContactCenterSettingEntity): SettingView {
  return {
    name: entity.name,
    location: entity.location,
    shared: entity.shared,
    value: entity.value,
    createdAt: entity.createdAt.getTime(),
    updatedAt: entity.updatedAt.getTime(),
  };
}

@Injectable()
export class ContactCenterService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cors: CorsRuntime,
    private readonly secrets: SecretBox,
  ) {}

  async list(): Promise<ContactCenterView[]> {
    const rows = await this.dataSource
      .getRepository(ContactCenterEntity)
      .find({ relations: { domains: true }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map((row) => this.view(row));
  }

  async get(id: string): Promise<ContactCenterView> {
    return this.view(await this.find(this.dataSource.manager, id));
  }

  async create({ data }: CreateContactCenterRequest): Promise<string> {
    const id = data.id ?? randomUUID();
    await this.write(async (manager) => {
      await this.requireEnvironment(manager, data.environmentId);
      await this.requireFreeDomains(manager, data.domains, id);
      const directory = this.storedDirectory(id, data.auth, data.directory ?? null, null);
      await manager.insert(ContactCenterEntity, {
        id,
        environmentId: data.environmentId,
        auth: data.auth,
        directory: directory as never,
      });
      await manager.insert(
        ContactCenterDomainEntity,
        data.domains.map((domain) => ({ domain, contactCenterId: id })),
      );
    }, `Contact center ${id} already exists`);
    return id;
  }

  async update(id: string, { data }: UpdateContactCenterRequest): Promise<void> {
    if (data.id !== undefined && data.id !== id) {
      throw new DomainException('VALIDATION_FAILED', 'data.id: must match the id in the path (ids cannot change)');
    }
    await this.write(async (manager) => {
      const entity = await manager.findOne(ContactCenterEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!entity) throw new DomainException('NOT_FOUND', `Contact center ${id} does not exist`);
      if (data.environmentId !== undefined) {
        await this.requireEnvironment(manager, data.environmentId);
        entity.environmentId = data.environmentId;
      }
      if (data.auth !== undefined) entity.auth = data.auth;
      entity.directory = this.storedDirectory(
        id,
        entity.auth,
        data.directory === undefined ? entity.directory : data.directory,
        entity.directory,
      );
      await manager.save(ContactCenterEntity, entity);
      if (data.domains !== undefined) {
        await this.requireFreeDomains(manager, data.domains, id);
        await manager.delete(ContactCenterDomainEntity, { contactCenterId: id, domain: Not(In(data.domains)) });
        await manager
          .createQueryBuilder()
          .insert()
          .into(ContactCenterDomainEntity)
          .values(data.domains.map((domain) => ({ domain, contactCenterId: id })))
          .orIgnore()
          .execute();
      }
    }, `A domain is already taken`);
  }

  async remove(id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const result = await manager.delete(ContactCenterEntity, { id });
      if (!result.affected) throw new DomainException('NOT_FOUND', `Contact center ${id} does not exist`);
    });
    // Its settings and CORS origins went with it (ON DELETE CASCADE).
    await this.cors.changed();
  }

  async settings(id: string): Promise<{ settings: SettingView[] }> {
    await this.find(this.dataSource.manager, id);
    const rows = await this.dataSource
      .getRepository(ContactCenterSettingEntity)
      .find({ where: { contactCenterId: id }, order: { name: 'ASC', location: 'ASC' } });
    return { settings: rows.map(settingView) };
  }

  /** Adds the setting, or replaces the value of the one with the same name and location. */
  async upsertSetting(id: string, { data }: UpsertSettingRequest): Promise<SettingView> {
    if (data.name === CORS_ORIGINS_SETTING) {
      const { invalid } = parseOriginList(data.value);
      if (invalid.length > 0) {
        throw new DomainException('VALIDATION_FAILED', `data.value: not an http(s) origin: ${invalid.join(', ')}`, {
          errors: invalid.map((value) => ({ field: 'data.value', message: `not an http(s) origin: ${value}` })),
        });
      }
    }
    const saved = await this.write(async (manager) => {
      await this.find(manager, id);
      await manager
        .createQueryBuilder()
        .insert()
        .into(ContactCenterSettingEntity)
        .values({
          contactCenterId: id,
          name: data.name,
          location: data.location,
          shared: data.shared,
          value: data.value,
        })
        .orUpdate(['shared', 'value', 'updated_at'], ['contact_center_id', 'name', 'location'])
        .execute();
      return manager.findOneByOrFail(ContactCenterSettingEntity, {
        contactCenterId: id,
        name: data.name,
        location: data.location,
      });
    }, 'Setting conflict');
    if (data.name === CORS_ORIGINS_SETTING) await this.cors.changed();
    return settingView(saved);
  }

  private async write<T>(work: (manager: EntityManager) => Promise<T>, conflictMessage: string): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      if (isUniqueViolation(error)) {
        const constraint = constraintOf(error) ?? '';
        throw new DomainException(
          'CONFLICT',
          constraint.startsWith('PK_e36ded64')
            ? 'A domain is already taken by another contact center'
            : conflictMessage,
        );
      }
      if (isForeignKeyViolation(error))
        throw new DomainException('NOT_FOUND', 'A referenced resource no longer exists');
      throw error;
    }
  }

  private async find(manager: EntityManager, id: string): Promise<ContactCenterEntity> {
    const entity = await manager.findOne(ContactCenterEntity, { where: { id }, relations: { domains: true } });
    if (!entity) throw new DomainException('NOT_FOUND', `Contact center ${id} does not exist`);
    return entity;
  }

  private async requireEnvironment(manager: EntityManager, environmentId: string): Promise<void> {
    // FOR SHARE: a concurrent DELETE of the environment waits for this transaction.
    const rows: unknown[] = await manager.query('SELECT 1 FROM environment WHERE id = $1 FOR SHARE', [environmentId]);
    if (rows.length === 0) throw new DomainException('NOT_FOUND', `Environment ${environmentId} does not exist`);
  }

  private async requireFreeDomains(manager: EntityManager, domains: string[], ownerId: string): Promise<void> {
    const taken = await manager.find(ContactCenterDomainEntity, {
      where: { domain: In(domains), contactCenterId: Not(ownerId) },
    });
    if (taken.length > 0) {
      const list = taken.map((row) => `${row.domain} (contact center ${row.contactCenterId})`).join(', ');
      throw new DomainException('CONFLICT', `Domain already taken: ${list}`, {
        domains: taken.map((row) => ({ domain: row.domain, contactCenterId: row.contactCenterId })),
      });
    }
  }

  /**
   * The directory settings to store: secrets sealed (an omitted LDAP bind password keeps the stored
   * one), and checked against `auth` (an `ldap` contact center needs LDAP settings).
   */
  private storedDirectory(
    contactCenterId: string,
    auth: string,
    input: ContactCenterDirectoryInput | ContactCenterDirectoryRecord | null,
    previous: ContactCenterDirectoryRecord | null,
  ): ContactCenterDirectoryRecord | null {
    if (auth === 'ldap' && !input?.ldap) throw validationFailed('data.directory.ldap', 'is required when auth is ldap');
    if (!input) return null;
    const { ldap, configServer } = input;
    if (!ldap) return { ...(configServer && { configServer }) };
    const {
      bindPassword,
      bindPasswordEncrypted: stored,
      ...rest
    } = ldap as typeof ldap & {
      bindPassword?: string;
      bindPasswordEncrypted?: string;
    };
    const bindPasswordEncrypted = bindPassword
      ? this.secrets.seal(bindPassword, { purpose: LDAP_BIND_PASSWORD_SEAL, id: contactCenterId })
      : (stored ?? previous?.ldap?.bindPasswordEncrypted);
    if (rest.bindMode === 'search' && !bindPasswordEncrypted) {
      throw validationFailed('data.directory.ldap.bindPassword', 'is required with bindMode search');
    }
    return {
      ...(configServer && { configServer }),
      ldap: { ...rest, ...(bindPasswordEncrypted && { bindPasswordEncrypted }) },
    };
  }

  private view(entity: ContactCenterEntity): ContactCenterView {
    return {
      id: entity.id,
      environmentId: entity.environmentId,
      domains: (entity.domains ?? []).map((row) => row.domain).sort(),
      auth: entity.auth,
      ...(entity.directory && { directory: directoryView(entity.directory) }),
      createdAt: entity.createdAt.getTime(),
      updatedAt: entity.updatedAt.getTime(),
    };
  }
}

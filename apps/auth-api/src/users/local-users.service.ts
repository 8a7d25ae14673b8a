import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { DomainException, assertPasswordPolicy } from '@cxauth/domain';
import { LocalUserEntity } from '@cxauth/persistence';
import { ContactCenterResolver } from './contact-center-resolver';
import { localUserId } from './directories/local-user.directory';
import { CreateUserRequest, ListUsersQuery, LocalUserView, UpdateUserRequest } from './dto/user.dto';
import { PasswordHasher } from './password-hasher';
import { UserSignOut } from '../session/user-sign-out.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNIQUE_VIOLATION = '23505';

export function toLocalUserView(entity: LocalUserEntity): LocalUserView {
  return {
    id: entity.id,
    contactCenterId: entity.contactCenterId,
    username: entity.username,
    ...(entity.email ? { email: entity.email } : {}),
    ...(entity.firstName ? { firstName: entity.firstName } : {}),
    ...(entity.lastName ? { lastName: entity.lastName } : {}),
    authorities: entity.authorities,
    properties: entity.properties,
    enabled: entity.enabled,
    ...(entity.provisionedBy ? { provisionedBy: entity.provisionedBy } : {}),
    createdAt: entity.createdAt.getTime(),
    updatedAt: entity.updatedAt.getTime(),
    passwordChangedAt: entity.passwordChangedAt.getTime(),
  };
}

/**
 * The local directory's users, as the ops API manages them. Deleting or disabling a user, setting its
 * password or renaming it ends every session and token of the user once the change is stored.
 */
@Injectable()
export class LocalUsersService {
  constructor(
    @InjectRepository(LocalUserEntity) private readonly users: Repository<LocalUserEntity>,
    private readonly contactCenters: ContactCenterResolver,
    private readonly hasher: PasswordHasher,
    private readonly userSignOut: UserSignOut,
  ) {}

  async list(query: ListUsersQuery): Promise<LocalUserView[]> {
    const builder = this.users
      .createQueryBuilder('u')
      .orderBy('u.contact_center_id', 'ASC')
      .addOrderBy('u.username_lower', 'ASC')
      .take(query.limit)
      .skip(query.offset);
    if (query.contactCenterId) builder.andWhere('u.contact_center_id = :cc', { cc: query.contactCenterId });
    if (query.username) builder.andWhere('u.username_lower = :name', { name: query.username.toLowerCase() });
    return (await builder.getMany()).map(toLocalUserView);
  }

  async get(id: string): Promise<LocalUserView> {
    return toLocalUserView(await this.load(id));
  }

  async create(request: CreateUserRequest): Promise<LocalUserView> {
    assertPasswordPolicy(request.password, request.username, 'data.password');
    const contactCenter = await this.contactCenters.byId(request.contactCenterId);
    if (!contactCenter) {
      throw new DomainException(
        'VALIDATION_FAILED',
        `data.contactCenterId: no contact center ${request.contactCenterId}`,
        {
          errors: [{ field: 'data.contactCenterId', message: 'no such contact center' }],
        },
      );
    }
    const entity = this.users.create({
      contactCenterId: contactCenter.id,
      username: request.username,
      usernameLower: request.username.toLowerCase(),
      passwordHash: await this.hasher.hash(request.password),
      email: request.email ?? null,
      firstName: request.firstName ?? null,
      lastName: request.lastName ?? null,
      authorities: request.authorities,
      properties: request.properties,
      enabled: request.enabled,
      passwordChangedAt: new Date(),
    });
    return toLocalUserView(await this.saveUnique(entity));
  }

  async update(id: string, request: UpdateUserRequest): Promise<LocalUserView> {
    const entity = await this.load(id);
    const previousUserId = localUserId(entity.contactCenterId, entity.username);
    const wasEnabled = entity.enabled;
    if (request.username !== undefined) {
      entity.username = request.username;
      entity.usernameLower = request.username.toLowerCase();
    }
    if (request.password !== undefined) {
      assertPasswordPolicy(request.password, entity.username, 'data.password');
      entity.passwordHash = await this.hasher.hash(request.password);
      entity.passwordChangedAt = new Date();
    }
    if (request.email !== undefined) entity.email = request.email;
    if (request.firstName !== undefined) entity.firstName = request.firstName;
    if (request.lastName !== undefined) entity.lastName = request.lastName;
    if (request.authorities !== undefined) entity.authorities = request.authorities;
    if (request.properties !== undefined) entity.properties = request.properties;
    if (request.enabled !== undefined) entity.enabled = request.enabled;
    const saved = await this.saveUnique(entity);
    const renamed = localUserId(saved.contactCenterId, saved.username) !== previousUserId;
    if (request.password !== undefined || renamed || (wasEnabled && !saved.enabled)) {
      await this.userSignOut.signOutEverywhere(previousUserId);
    }
    return toLocalUserView(saved);
  }

  async delete(id: string): Promise<void> {
    const entity = await this.load(id);
    const result = await this.users.delete({ id: entity.id });
    if (!result.affected) throw this.notFound(id);
    await this.userSignOut.signOutEverywhere(localUserId(entity.contactCenterId, entity.username));
  }

  private async load(id: string): Promise<LocalUserEntity> {
    const entity = UUID.test(id) ? await this.users.findOneBy({ id }) : null;
    if (!entity) throw this.notFound(id);
    return entity;
  }

  /** One statement (INSERT or UPDATE); the unique index decides duplicates, so a race cannot slip by. */
  private async saveUnique(entity: LocalUserEntity): Promise<LocalUserEntity> {
    try {
      return await this.users.save(entity);
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new DomainException(
          'CONFLICT',
          `A user named ${entity.username} already exists in contact center ${entity.contactCenterId}`,
        );
      }
      throw error;
    }
  }

  private notFound(id: string): DomainException {
    return new DomainException('NOT_FOUND', `User ${id.slice(0, 64)} not found`);
  }
}

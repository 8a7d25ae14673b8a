import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import {
  DomainException,
  clientView,
  effectiveGrantTypes,
  RegisteredClient,
  assertValidClientRegistration,
} from '@cxauth/domain';
import { OAuthClientEntity } from '@cxauth/persistence';
import { Argon2Gate } from '../crypto/argon2-gate';
import { ClientSecretPolicy } from './client-secret.policy';
import { ClientRegistry } from './client-registry.service';
import type { CreateClientRequest, UpdateClientRequest } from './dto/client.dto';
import { toRegisteredClient } from './client-entity.mapper';
import { APP_CONFIG, SecretBox } from '@cxauth/platform';
import type { AuthApiConfig } from '../auth-api.config';

const UNIQUE_VIOLATION = '23505';

/** 256 random bits, URL-safe: what an empty `client_secret` becomes. */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Ops management of OAuth clients (`/auth/v3/ops/clients`). Writes are transactional and invalidate the caches. */
@Injectable()
export class ClientService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: ClientRegistry,
    private readonly secretBox: SecretBox,
    private readonly argon2: Argon2Gate,
    private readonly secretPolicy: ClientSecretPolicy,
    @Inject(APP_CONFIG) private readonly config: Pick<AuthApiConfig, 'PKCE_REQUIRED_FOR_NEW_CLIENTS'>,
  ) {}

  async list(): Promise<Record<string, unknown>[]> {
    const entities = await this.dataSource.getRepository(OAuthClientEntity).find({ order: { clientId: 'ASC' } });
    return entities.map((entity) => clientView(toRegisteredClient(entity)));
  }

  async get(clientId: string): Promise<Record<string, unknown>> {
    const entity = await this.dataSource.getRepository(OAuthClientEntity).findOneBy({ clientId });
    if (!entity) throw new DomainException('NOT_FOUND', `Client ${clientId} not found`);
    return clientView(toRegisteredClient(entity));
  }

  async create(request: CreateClientRequest): Promise<Record<string, unknown>> {
    const secret = this.chooseSecret(request.client_id, request.clientType, request.client_secret);
    const entity = new OAuthClientEntity();
    entity.clientId = request.client_id;
    entity.name = request.name ?? request.client_id;
    entity.description = request.description ?? null;
    entity.clientType = request.clientType;
    entity.internalClient = request.internalClient;
    entity.secretHash = secret ? await this.argon2.hash(secret) : null;
    entity.authorities = request.authorities;
    entity.scope = request.scope;
    entity.authorizedGrantTypes = effectiveGrantTypes(request.authorizedGrantTypes, request.internalClient);
    entity.redirectUris = request.redirectURIs;
    entity.accessTokenValidity = request.accessTokenExpirationTimeout;
    entity.refreshTokenValidity = request.refreshTokenExpirationTimeout;
    entity.contactCenterIds = request.contactCenterIds;
    entity.tokenFormat = request.tokenFormat;
    entity.jwks = request.jwks ?? null;
    entity.jwksUri = request.jwksUri ?? null;
    entity.tokenExchange = request.tokenExchange ?? null;
    entity.requirePkce = request.requirePkce ?? this.config.PKCE_REQUIRED_FOR_NEW_CLIENTS;
    assertValidClientRegistration(entity);
    let saved: OAuthClientEntity;
    try {
      saved = await this.dataSource.transaction(async (manager) => {
        const repository = manager.getRepository(OAuthClientEntity);
        if (await repository.existsBy({ clientId: entity.clientId })) throw duplicate(entity.clientId);
        await repository.insert(entity as QueryDeepPartialEntity<OAuthClientEntity>);
        return repository.findOneByOrFail({ clientId: entity.clientId });
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicate(entity.clientId);
      throw error;
    }
    await this.registry.invalidate(saved.clientId);
    return this.withSecret(toRegisteredClient(saved), secret);
  }

  async update(clientId: string, request: UpdateClientRequest): Promise<Record<string, unknown>> {
    if (request.client_id !== undefined && request.client_id !== clientId) {
      throw new DomainException('VALIDATION_FAILED', 'client_id cannot be changed');
    }
    let newSecret: string | null = null;
    const saved = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(OAuthClientEntity);
      const entity = await repository.findOne({ where: { clientId }, lock: { mode: 'pessimistic_write' } });
      if (!entity) throw new DomainException('NOT_FOUND', `Client ${clientId} not found`);
      if (request.name !== undefined) entity.name = request.name;
      if (request.description !== undefined) entity.description = request.description;
      if (request.clientType !== undefined) entity.clientType = request.clientType;
      if (request.internalClient !== undefined) entity.internalClient = request.internalClient;
      if (request.authorities !== undefined) entity.authorities = request.authorities;
      if (request.scope !== undefined) entity.scope = request.scope;
      if (request.authorizedGrantTypes !== undefined || request.internalClient !== undefined) {
        entity.authorizedGrantTypes = effectiveGrantTypes(
          request.authorizedGrantTypes ?? entity.authorizedGrantTypes,
          entity.internalClient,
        );
      }
      if (request.redirectURIs !== undefined) entity.redirectUris = request.redirectURIs;
      if (request.accessTokenExpirationTimeout !== undefined) {
        entity.accessTokenValidity = request.accessTokenExpirationTimeout;
      }
      if (request.refreshTokenExpirationTimeout !== undefined) {
        entity.refreshTokenValidity = request.refreshTokenExpirationTimeout;
      }
      if (request.contactCenterIds !== undefined) entity.contactCenterIds = request.contactCenterIds;
      if (request.tokenFormat !== undefined) entity.tokenFormat = request.tokenFormat;
      if (request.jwks !== undefined) entity.jwks = request.jwks;
      if (request.jwksUri !== undefined) entity.jwksUri = request.jwksUri;
      if (request.tokenExchange !== undefined) entity.tokenExchange = request.tokenExchange;
      if (request.requirePkce !== undefined) entity.requirePkce = request.requirePkce;
      if (entity.clientType === 'PUBLIC') {
        if (request.client_secret) throw new DomainException('VALIDATION_FAILED', 'PUBLIC clients have no secret');
        entity.secretHash = null;
      } else if (request.client_secret !== undefined || entity.secretHash === null) {
        newSecret = this.chooseSecret(clientId, 'CONFIDENTIAL', request.client_secret);
        entity.secretHash = await this.argon2.hash(newSecret!);
      }
      assertValidClientRegistration(entity);
      await repository.save(entity);
      return repository.findOneByOrFail({ clientId });
    });
    await this.registry.invalidate(clientId);
    return this.withSecret(toRegisteredClient(saved), newSecret);
  }

  async delete(clientId: string): Promise<void> {
    const result = await this.dataSource.getRepository(OAuthClientEntity).delete({ clientId });
    if (!result.affected) throw new DomainException('NOT_FOUND', `Client ${clientId} not found`);
    await this.registry.invalidate(clientId);
  }

  private chooseSecret(
    clientId: string,
    clientType: 'CONFIDENTIAL' | 'PUBLIC',
    requested: string | undefined,
  ): string | null {
    if (clientType === 'PUBLIC') {
      if (requested) throw new DomainException('VALIDATION_FAILED', 'PUBLIC clients have no secret');
      return null;
    }
    if (!requested) return generateClientSecret();
    this.secretPolicy.accept(clientId, requested);
    return requested;
  }

  /** The create (or secret-changing update) answer: the secret once, plus its AES-256-GCM sealed form. */
  private withSecret(client: RegisteredClient, secret: string | null): Record<string, unknown> {
    const view = clientView(client);
    if (secret) {
      view.client_secret = secret;
      view.encrypted_client_secret = this.secretBox.seal(secret, { purpose: 'client-secret', id: client.clientId });
    }
    return view;
  }
}

function duplicate(clientId: string): DomainException {
  return new DomainException('CONFLICT', `Client ${clientId} already exists`);
}

function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof QueryFailedError && (error.driverError as { code?: string } | undefined)?.code === UNIQUE_VIOLATION
  );
}

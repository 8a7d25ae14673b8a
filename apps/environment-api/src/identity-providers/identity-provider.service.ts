import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainException } from '@cxauth/domain';
import {
  ContactCenterEntity,
  IDENTITY_PROVIDER_SECRET_SEAL,
  IdentityProviderEntity,
  type IdentityProviderType,
  type StoredOidcSettings,
} from '@cxauth/persistence';
import { SecretBox } from '@cxauth/platform';
import type { PutIdentityProviderRequest } from './dto/identity-provider.dto';

export interface IdentityProviderView {
  contactCenterId: string;
  type: IdentityProviderType;
  enabled: boolean;
  oidc: Omit<StoredOidcSettings, 'jitProvisioning' | 'defaultAuthorities'> & { clientSecretSet: boolean };
  jitProvisioning: boolean;
  defaultAuthorities: string[];
  createdAt: number;
  updatedAt: number;
}

function view(entity: IdentityProviderEntity): IdentityProviderView {
  const { jitProvisioning, defaultAuthorities, ...oidc } = entity.settings;
  return {
    contactCenterId: entity.contactCenterId,
    type: entity.type,
    enabled: entity.enabled,
    oidc: { ...oidc, clientSecretSet: entity.secretEncrypted !== null },
    jitProvisioning,
    defaultAuthorities,
    createdAt: entity.createdAt.getTime(),
    updatedAt: entity.updatedAt.getTime(),
  };
}

/**
 * The single sign-on identity provider of a contact center. auth-api reads the row at every SSO
 * sign-in, so a write applies on every replica at the next sign-in, without a restart.
 */
@Injectable()
export class IdentityProviderService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
  ) {}

  async get(contactCenterId: string): Promise<IdentityProviderView> {
    const entity = await this.dataSource.getRepository(IdentityProviderEntity).findOneBy({ contactCenterId });
    if (!entity) throw new DomainException('NOT_FOUND', `Contact center ${contactCenterId} has no identity provider`);
    return view(entity);
  }

  /** Creates or replaces the identity provider; an omitted client secret keeps the stored one. */
  async put(contactCenterId: string, { data }: PutIdentityProviderRequest): Promise<IdentityProviderView> {
    const saved = await this.dataSource.transaction(async (manager) => {
      const contactCenter = await manager.findOne(ContactCenterEntity, {
        where: { id: contactCenterId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!contactCenter) throw new DomainException('NOT_FOUND', `Contact center ${contactCenterId} does not exist`);
      const previous = await manager.findOneBy(IdentityProviderEntity, { contactCenterId });
      const { oidc } = data;
      const { clientSecret, ...settings } = oidc;
      // A stored secret belongs to the client it was given for: a new client id needs its secret.
      const keep = previous && previous.settings.clientId === oidc.clientId ? previous.secretEncrypted : null;
      const secretEncrypted = clientSecret
        ? this.secrets.seal(clientSecret, { purpose: IDENTITY_PROVIDER_SECRET_SEAL, id: contactCenterId })
        : keep;
      if (!secretEncrypted) {
        throw new DomainException('VALIDATION_FAILED', 'data.oidc.clientSecret: is required', {
          errors: [{ field: 'data.oidc.clientSecret', message: 'is required (for a new provider or client id)' }],
        });
      }
      await manager.upsert(
        IdentityProviderEntity,
        {
          contactCenterId,
          type: data.type,
          enabled: data.enabled,
          settings: {
            ...settings,
            jitProvisioning: data.jitProvisioning,
            defaultAuthorities: data.defaultAuthorities,
          } as never,
          secretEncrypted,
        },
        ['contactCenterId'],
      );
      return manager.findOneByOrFail(IdentityProviderEntity, { contactCenterId });
    });
    return view(saved);
  }

  async remove(contactCenterId: string): Promise<void> {
    const result = await this.dataSource.getRepository(IdentityProviderEntity).delete({ contactCenterId });
    if (!result.affected)
      throw new DomainException('NOT_FOUND', `Contact center ${contactCenterId} has no identity provider`);
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainException } from '@cxauth/domain';
import {
  ContactCenterEntity,
  IDENTITY_PROVIDER_SECRET_SEAL,
  IdentityProviderEntity,
  type IdentityProviderType,
  type StoredOidcSettings,
  type StoredSamlSettings,
} from '@cxauth/persistence';
import { SecretBox } from '@cxauth/platform';
import type { PutIdentityProviderRequest } from './dto/identity-provider.dto';

type Mapping = 'jitProvisioning' | 'defaultAuthorities' | 'groupAuthorities';

export interface IdentityProviderView {
  contactCenterId: string;
  type: IdentityProviderType;
  enabled: boolean;
  oidc?: Omit<StoredOidcSettings, Mapping> & { clientSecretSet: boolean };
  saml?: Omit<StoredSamlSettings, Mapping> & { spPrivateKeySet: boolean };
  jitProvisioning: boolean;
  defaultAuthorities: string[];
  groupAuthorities: Record<string, string[]>;
  createdAt: number;
  updatedAt: number;
}

function view(entity: IdentityProviderEntity): IdentityProviderView {
  const { jitProvisioning, defaultAuthorities, groupAuthorities, ...settings } = entity.settings;
  const secretSet = entity.secretEncrypted !== null;
  return {
    contactCenterId: entity.contactCenterId,
    type: entity.type,
    enabled: entity.enabled,
    ...(entity.type === 'oidc'
      ? { oidc: { ...(settings as Omit<StoredOidcSettings, Mapping>), clientSecretSet: secretSet } }
      : { saml: { ...(settings as Omit<StoredSamlSettings, Mapping>), spPrivateKeySet: secretSet } }),
    jitProvisioning,
    defaultAuthorities,
    // Rows written before group mapping existed have none.
    groupAuthorities: groupAuthorities ?? {},
    createdAt: entity.createdAt.getTime(),
    updatedAt: entity.updatedAt.getTime(),
  };
}

const required = (field: string, message: string) =>
  new DomainException('VALIDATION_FAILED', `${field}: ${message}`, { errors: [{ field, message }] });

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

  /** Creates or replaces the identity provider; an omitted secret (client secret, SP key) keeps the stored one. */
  async put(contactCenterId: string, { data }: PutIdentityProviderRequest): Promise<IdentityProviderView> {
    const saved = await this.dataSource.transaction(async (manager) => {
      const contactCenter = await manager.findOne(ContactCenterEntity, {
        where: { id: contactCenterId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!contactCenter) throw new DomainException('NOT_FOUND', `Contact center ${contactCenterId} does not exist`);
      const previous = await manager.findOneBy(IdentityProviderEntity, { contactCenterId });
      const seal = (value: string) =>
        this.secrets.seal(value, { purpose: IDENTITY_PROVIDER_SECRET_SEAL, id: contactCenterId });
      let settings: Omit<StoredOidcSettings, Mapping> | Omit<StoredSamlSettings, Mapping>;
      let secretEncrypted: string | null;
      if (data.type === 'oidc') {
        const { clientSecret, ...oidc } = data.oidc;
        // A stored secret belongs to the client it was given for: a new client id needs its secret.
        const keep =
          previous?.type === 'oidc' && (previous.settings as StoredOidcSettings).clientId === oidc.clientId
            ? previous.secretEncrypted
            : null;
        secretEncrypted = clientSecret ? seal(clientSecret) : keep;
        if (!secretEncrypted) throw required('data.oidc.clientSecret', 'is required (for a new provider or client id)');
        settings = oidc;
      } else {
        const { spPrivateKey, ...saml } = data.saml;
        // A stored key belongs to the certificate it was given with.
        const keep =
          previous?.type === 'saml' && (previous.settings as StoredSamlSettings).spCertificate === saml.spCertificate
            ? previous.secretEncrypted
            : null;
        secretEncrypted = spPrivateKey ? seal(spPrivateKey) : keep;
        if (!secretEncrypted)
          throw required('data.saml.spPrivateKey', 'is required (for a new provider or certificate)');
        settings = saml;
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
            groupAuthorities: data.groupAuthorities,
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

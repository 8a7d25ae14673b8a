import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import * as oidc from 'openid-client';
import { DataSource } from 'typeorm';
import {
  ContactCenterDomainEntity,
  IDENTITY_PROVIDER_SECRET_SEAL,
  IdentityProviderEntity,
  type StoredOidcSettings,
  type StoredSamlSettings,
} from '@cxauth/persistence';
import { APP_CONFIG, SecretBox } from '@cxauth/platform';
import { SsoFailure } from './sso-failure';
import type { SsoConfig } from './sso.config';

/** An enabled identity provider of a contact center, as stored now. */
export type ActiveIdentityProvider = {
  contactCenterId: string;
  /** Changes with every write of the row (its `updated_at`). */
  version: string;
} & ({ type: 'oidc'; settings: StoredOidcSettings } | { type: 'saml'; settings: StoredSamlSettings });

export type ActiveOidcProvider = Extract<ActiveIdentityProvider, { type: 'oidc' }>;
export type ActiveSamlProvider = Extract<ActiveIdentityProvider, { type: 'saml' }>;

interface CachedConfiguration {
  version: string;
  configuration: Promise<oidc.Configuration>;
}

/**
 * The contact centers' identity providers, read from PostgreSQL at each SSO step (not a hot path), so
 * a change applies on every replica at the next sign-in. The OIDC discovery result is kept per row
 * version: a write forces a new discovery, a failed discovery is not kept.
 */
@Injectable()
export class IdentityProviderRegistry {
  private readonly logger = new Logger(IdentityProviderRegistry.name);
  private readonly configurations = new Map<string, CachedConfiguration>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: SsoConfig,
    private readonly secrets: SecretBox,
  ) {}

  async forContactCenter(contactCenterId: string): Promise<ActiveIdentityProvider | null> {
    const row = await this.dataSource.getRepository(IdentityProviderEntity).findOneBy({ contactCenterId });
    return row?.enabled ? active(row) : null;
  }

  /** The enabled identity provider of the contact center a login domain belongs to. */
  async forDomain(domain: string): Promise<ActiveIdentityProvider | null> {
    const normalized = domain.trim().toLowerCase();
    if (!normalized || normalized.length > 255) return null;
    const row = await this.dataSource
      .getRepository(IdentityProviderEntity)
      .createQueryBuilder('idp')
      .innerJoin(ContactCenterDomainEntity, 'd', 'd.contact_center_id = idp.contact_center_id')
      .where('d.domain = :domain AND idp.enabled', { domain: normalized })
      .getOne();
    return row ? active(row) : null;
  }

  /** The provider's OIDC metadata and client credentials (discovered once per row version). */
  async oidcConfiguration(provider: ActiveOidcProvider): Promise<oidc.Configuration> {
    const cached = this.configurations.get(provider.contactCenterId);
    if (cached?.version === provider.version) return cached.configuration;
    const configuration = this.discover(provider);
    this.configurations.set(provider.contactCenterId, { version: provider.version, configuration });
    configuration.catch(() => {
      if (this.configurations.get(provider.contactCenterId)?.configuration === configuration)
        this.configurations.delete(provider.contactCenterId);
    });
    return configuration;
  }

  /** The provider's sealed secret (OIDC client secret, SAML SP private key), opened; undefined when none is stored. */
  async secret(provider: ActiveIdentityProvider): Promise<string | undefined> {
    const row = await this.dataSource
      .getRepository(IdentityProviderEntity)
      .findOneByOrFail({ contactCenterId: provider.contactCenterId });
    return row.secretEncrypted
      ? this.secrets.open(row.secretEncrypted, { purpose: IDENTITY_PROVIDER_SECRET_SEAL, id: row.contactCenterId })
      : undefined;
  }

  /** openid-client options: a bounded wait, and plain http only for the loopback issuers validation allows. */
  private requestOptions(issuer: string): { timeout: number; execute?: ((config: oidc.Configuration) => void)[] } {
    return {
      timeout: this.config.SSO_IDP_TIMEOUT_SECONDS,
      ...(issuer.startsWith('http:') && { execute: [oidc.allowInsecureRequests] }),
    };
  }

  private async discover(provider: ActiveOidcProvider): Promise<oidc.Configuration> {
    const secret = await this.secret(provider);
    const { issuer, clientId } = provider.settings;
    try {
      // The timeout and the http allowance carry over to every later request of this configuration.
      return await oidc.discovery(
        new URL(issuer),
        clientId,
        undefined,
        secret === undefined ? oidc.None() : oidc.ClientSecretBasic(secret),
        this.requestOptions(issuer),
      );
    } catch (error) {
      const detail = `discovery of ${issuer} failed: ${(error as Error).message}`;
      this.logger.warn(`contact center ${provider.contactCenterId}: ${detail}`);
      throw new SsoFailure('sso_idp_unavailable', detail);
    }
  }
}

function active(row: IdentityProviderEntity): ActiveIdentityProvider {
  return {
    contactCenterId: row.contactCenterId,
    type: row.type,
    settings: row.settings,
    version: row.updatedAt.toISOString(),
  } as ActiveIdentityProvider;
}

import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { DomainException } from '@cxauth/domain';
import {
  ContactCenterEntity,
  IDENTITY_PROVIDER_SECRET_SEAL,
  IdentityProviderEntity,
  type IdentityProviderSource,
  type IdentityProviderType,
  type StoredOidcSettings,
  type StoredSamlSettings,
} from '@cxauth/persistence';
import { APP_CONFIG, SecretBox } from '@cxauth/platform';
import type { EnvironmentApiConfig } from '../environment-api.config';
import type { PutIdentityProviderRequest } from './dto/identity-provider.dto';

type Mapping = 'jitProvisioning' | 'defaultAuthorities' | 'groupAuthorities';

export interface IdentityProviderView {
  contactCenterId: string;
  type: IdentityProviderType;
  enabled: boolean;
  /** `file`: from IDENTITY_PROVIDERS_FILE (the charts' values), `api`: written through this API. */
  managedBy: IdentityProviderSource;
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
    managedBy: entity.managedBy,
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

/** The `data` of PUT /contact-centers/{id}/identity-provider, validated. */
export type IdentityProviderData = PutIdentityProviderRequest['data'];

/** One provider of IDENTITY_PROVIDERS_FILE, validated like an API write. */
export interface FileIdentityProvider {
  /** Where it is in the file, for messages: `identityProviders[2]`. */
  at: string;
  contactCenterId: string;
  data: IdentityProviderData;
}

export type FileChange = 'created' | 'updated' | 'taken over from the API' | 'removed';

/** What one application of IDENTITY_PROVIDERS_FILE did. */
export interface FileApplyResult {
  changes: { contactCenterId: string; type: IdentityProviderType; change: FileChange }[];
  unchanged: number;
  /** Contact centers the file names that do not exist (their providers wait for them). */
  missing: FileIdentityProvider[];
}

/** pg_advisory_xact_lock key of an IDENTITY_PROVIDERS_FILE application ('cxid' 'file'): one replica at a time. */
const FILE_LOCK = [0x63786964, 0x66696c65] as const;

/** JSON with object keys sorted (jsonb does not keep key order), to compare stored settings with new ones. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The single sign-on identity provider of a contact center. auth-api reads the row at every SSO
 * sign-in, so a write applies on every replica at the next sign-in, without a restart. The API and
 * IDENTITY_PROVIDERS_FILE write through the same code (`write`), after the same validation.
 */
@Injectable()
export class IdentityProviderService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
    @Inject(APP_CONFIG) private readonly config: Pick<EnvironmentApiConfig, 'IDENTITY_PROVIDERS_FILE'>,
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
      this.refuseFileManaged(contactCenterId, previous);
      await this.write(manager, contactCenterId, data, previous, 'api');
      return manager.findOneByOrFail(IdentityProviderEntity, { contactCenterId });
    });
    return view(saved);
  }

  async remove(contactCenterId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const previous = await manager.findOne(IdentityProviderEntity, {
        where: { contactCenterId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!previous)
        throw new DomainException('NOT_FOUND', `Contact center ${contactCenterId} has no identity provider`);
      this.refuseFileManaged(contactCenterId, previous);
      await manager.delete(IdentityProviderEntity, { contactCenterId });
    });
  }

  /**
   * Makes the database hold exactly the file's providers, in one transaction under an advisory lock
   * (replicas apply one after the other; the later one finds nothing to change): creates and updates
   * them (an API-managed provider named in the file becomes file-managed), leaves unchanged ones alone
   * (no new seal, no new `updatedAt`), and removes file-managed providers the file no longer names.
   * API-managed providers the file does not name are left alone. Providers of contact centers that do
   * not exist are returned as `missing` (applied once the contact center exists).
   */
  async applyFile(entries: FileIdentityProvider[]): Promise<FileApplyResult> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1, $2)', [...FILE_LOCK]);
      const ids = entries.map((entry) => entry.contactCenterId);
      const existing = ids.length
        ? await manager.find(ContactCenterEntity, {
            select: { id: true },
            where: { id: In(ids) },
            lock: { mode: 'pessimistic_write' },
          })
        : [];
      const known = new Set(existing.map((contactCenter) => contactCenter.id));
      const result: FileApplyResult = { changes: [], unchanged: 0, missing: [] };
      for (const entry of entries) {
        if (!known.has(entry.contactCenterId)) {
          result.missing.push(entry);
          continue;
        }
        const previous = await manager.findOneBy(IdentityProviderEntity, { contactCenterId: entry.contactCenterId });
        let changed: boolean;
        try {
          changed = await this.write(manager, entry.contactCenterId, entry.data, previous, 'file');
        } catch (error) {
          if (!(error instanceof DomainException)) throw error;
          throw new DomainException(
            error.code,
            `${entry.at} (contact center ${entry.contactCenterId}): ${error.message.replace(/^data\./, '')}`,
          );
        }
        if (!changed) result.unchanged += 1;
        else
          result.changes.push({
            contactCenterId: entry.contactCenterId,
            type: entry.data.type,
            change: !previous ? 'created' : previous.managedBy === 'api' ? 'taken over from the API' : 'updated',
          });
      }
      const managed = await manager.findBy(IdentityProviderEntity, { managedBy: 'file' });
      const named = new Set(ids);
      for (const gone of managed.filter((provider) => !named.has(provider.contactCenterId))) {
        await manager.delete(IdentityProviderEntity, { contactCenterId: gone.contactCenterId });
        result.changes.push({ contactCenterId: gone.contactCenterId, type: gone.type, change: 'removed' });
      }
      return result;
    });
  }

  /** While IDENTITY_PROVIDERS_FILE is configured, its providers are written from the file only. */
  private refuseFileManaged(contactCenterId: string, previous: IdentityProviderEntity | null): void {
    if (previous?.managedBy === 'file' && this.config.IDENTITY_PROVIDERS_FILE)
      throw new DomainException(
        'CONFLICT',
        `The identity provider of contact center ${contactCenterId} is managed by IDENTITY_PROVIDERS_FILE (the chart's identityProviders values): change it there`,
      );
  }

  /**
   * Writes one provider (the caller holds the contact center's row lock); true when the row changed.
   * An omitted secret keeps the stored one (for the same client id or SP certificate).
   */
  private async write(
    manager: EntityManager,
    contactCenterId: string,
    data: IdentityProviderData,
    previous: IdentityProviderEntity | null,
    managedBy: IdentityProviderSource,
  ): Promise<boolean> {
    const context = { purpose: IDENTITY_PROVIDER_SECRET_SEAL, id: contactCenterId };
    // From the file, a secret equal to the stored one keeps its seal, so an unchanged provider is not rewritten.
    const seal = (value: string) =>
      managedBy === 'file' && previous?.secretEncrypted && this.opens(previous.secretEncrypted, context) === value
        ? previous.secretEncrypted
        : this.secrets.seal(value, context);
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
      if (!secretEncrypted) throw required('data.saml.spPrivateKey', 'is required (for a new provider or certificate)');
      settings = saml;
    }
    const stored = {
      ...settings,
      jitProvisioning: data.jitProvisioning,
      defaultAuthorities: data.defaultAuthorities,
      groupAuthorities: data.groupAuthorities,
    };
    const unchanged =
      previous !== null &&
      previous.type === data.type &&
      previous.enabled === data.enabled &&
      previous.managedBy === managedBy &&
      previous.secretEncrypted === secretEncrypted &&
      canonical(previous.settings) === canonical(stored);
    if (unchanged && managedBy === 'file') return false;
    await manager.upsert(
      IdentityProviderEntity,
      {
        contactCenterId,
        type: data.type,
        enabled: data.enabled,
        settings: stored as never,
        secretEncrypted,
        managedBy,
      },
      ['contactCenterId'],
    );
    return true;
  }

  /** The stored secret, or undefined when it no longer opens (e.g. sealed with a retired key). */
  private opens(sealed: string, context: { purpose: string; id: string }): string | undefined {
    try {
      return this.secrets.open(sealed, context);
    } catch {
      return undefined;
    }
  }
}

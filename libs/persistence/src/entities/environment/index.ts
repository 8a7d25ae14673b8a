import { ContactCenterDomainEntity } from './contact-center-domain.entity';
import { ContactCenterSettingEntity } from './contact-center-setting.entity';
import { ContactCenterEntity } from './contact-center.entity';
import { CorsOriginEntity } from './cors-origin.entity';
import { DataCenterEntity } from './data-center.entity';
import { EnvironmentEntity } from './environment.entity';
import { IdentityProviderEntity } from './identity-provider.entity';

export { DataCenterEntity, EnvironmentEntity, ContactCenterEntity, ContactCenterDomainEntity };
export { ContactCenterSettingEntity, CorsOriginEntity, IdentityProviderEntity };
export {
  IDENTITY_PROVIDER_SECRET_SEAL,
  IDENTITY_PROVIDER_SOURCES,
  IDENTITY_PROVIDER_TYPES,
  type IdentityProviderSource,
  type IdentityProviderType,
  type StoredIdentityMapping,
  type StoredOidcSettings,
  type StoredSamlAttributes,
  type StoredSamlSettings,
} from './identity-provider.entity';
export type { ConfigServerRecord } from './environment.entity';
export { ENVIRONMENT_PASSWORD_SEAL } from './environment.entity';
export type {
  ContactCenterDirectoryRecord,
  StoredConfigServerDirectory,
  StoredLdapDirectory,
} from './contact-center-directory';
export { LDAP_BIND_PASSWORD_SEAL } from './contact-center-directory';
export { CONTACT_CENTER_AUTH_VALUES, type ContactCenterAuth } from './contact-center.entity';
export { CORS_ORIGINS_SETTING } from './contact-center-setting.entity';
export { loadCorsOriginValues } from './cors-origins.query';

/** Tables owned by environment-api. */
export const ENVIRONMENT_ENTITIES = [
  DataCenterEntity,
  EnvironmentEntity,
  ContactCenterEntity,
  ContactCenterDomainEntity,
  ContactCenterSettingEntity,
  CorsOriginEntity,
  IdentityProviderEntity,
];

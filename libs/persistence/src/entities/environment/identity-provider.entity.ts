import { Column, CreateDateColumn, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ContactCenterEntity } from './contact-center.entity';

export const IDENTITY_PROVIDER_TYPES = ['oidc', 'saml'] as const;
export type IdentityProviderType = (typeof IDENTITY_PROVIDER_TYPES)[number];

/** Who writes a provider: the environment API, or environment-api's IDENTITY_PROVIDERS_FILE (the charts' values). */
export const IDENTITY_PROVIDER_SOURCES = ['api', 'file'] as const;
export type IdentityProviderSource = (typeof IDENTITY_PROVIDER_SOURCES)[number];

/** How a signed-in identity becomes a user: found in the contact center's directory, or created there (JIT). */
export interface StoredIdentityMapping {
  /** Create a local user at the first sign-in when no user of that name exists. */
  jitProvisioning: boolean;
  /** Authorities of a user created just in time. */
  defaultAuthorities: string[];
  /** IdP group → authorities, added to `defaultAuthorities` when a user is created just in time. */
  groupAuthorities: Record<string, string[]>;
}

/** OIDC relying-party settings as stored; the client secret is sealed in `secretEncrypted`. */
export interface StoredOidcSettings extends StoredIdentityMapping {
  issuer: string;
  clientId: string;
  scopes: string[];
  /** Claim names (id_token or userinfo) for the user's fields. */
  claims: { username: string; firstName: string; lastName: string; email: string; groups: string };
}

/** User fields and where they come from: an attribute name, or `NameID` for the subject's NameID. */
export interface StoredSamlAttributes {
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  groups: string;
}

/** SAML 2.0 service-provider settings as stored; the SP's private key (signing, decryption) is sealed in `secretEncrypted`. */
export interface StoredSamlSettings extends StoredIdentityMapping {
  /**
   * Where the IdP publishes its metadata; auth-api re-reads it and uses its entity ID, SSO URL and
   * certificates over the fields below (which hold the document as read when the row was written).
   */
  metadataUrl?: string;
  idpEntityId: string;
  /** The IdP's single sign-on endpoint (of `authnRequestBinding`). */
  ssoUrl: string;
  /** How AuthnRequests reach `ssoUrl`; absent (= `redirect`) in rows written before the setting existed. */
  authnRequestBinding?: 'redirect' | 'post';
  /** The IdP's single logout endpoint (of `logoutRequestBinding`); without it there is no SAML single logout. */
  sloUrl?: string;
  /** How SP-initiated LogoutRequests reach `sloUrl`; absent (= `redirect`) in rows written before the setting existed. */
  logoutRequestBinding?: 'redirect' | 'post';
  /** PEM certificates the IdP signs with; several during a rollover. */
  signingCertificates: string[];
  nameIdFormat: string;
  attributes: StoredSamlAttributes;
  /** Accept responses the IdP sends without an AuthnRequest of ours. */
  allowIdpInitiated: boolean;
  /** Only encrypted assertions (to the SP's key) are accepted; absent in rows written before the setting existed. */
  wantAssertionsEncrypted?: boolean;
  /** PEM certificate of the SP's key (published in the SP metadata for signing, and for encryption when required). */
  spCertificate: string;
}

/**
 * A contact center's single sign-on identity provider (one per contact center), owned by
 * environment-api and read by auth-api at each SSO sign-in, so a change applies without a restart.
 */
@Entity({ name: 'identity_provider' })
export class IdentityProviderEntity {
  @PrimaryColumn({ name: 'contact_center_id', type: 'uuid' })
  contactCenterId!: string;

  @OneToOne(() => ContactCenterEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'contact_center_id' })
  contactCenter?: ContactCenterEntity;

  @Column({ type: 'varchar', length: 8 })
  type!: IdentityProviderType;

  /** Off: the contact center signs in with passwords again, the settings are kept. */
  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  /** The protocol's settings without secrets (`StoredOidcSettings` for `oidc`, `StoredSamlSettings` for `saml`). */
  @Column({ type: 'jsonb' })
  settings!: StoredOidcSettings | StoredSamlSettings;

  /**
   * The OIDC client secret or the SAML SP's private key (PEM), sealed with the SecretBox (purpose
   * IDENTITY_PROVIDER_SECRET_SEAL, id = contact center).
   */
  @Column({ name: 'secret_encrypted', type: 'text', nullable: true })
  secretEncrypted!: string | null;

  /**
   * `file`: written from IDENTITY_PROVIDERS_FILE, removed when it leaves the file, and not writable
   * through the API while the file is configured; `api`: the API's (the file may take it over).
   */
  @Column({ name: 'managed_by', type: 'varchar', length: 8, default: 'api' })
  managedBy!: IdentityProviderSource;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** SealContext purpose of an identity provider's secret (the id is the contact center's). */
export const IDENTITY_PROVIDER_SECRET_SEAL = 'identity-provider.client-secret';

import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** An OAuth 2.0 client registered through `/auth/v3/ops/clients`. The secret is kept only as an argon2id hash. */
@Entity({ name: 'oauth_client' })
export class OAuthClientEntity {
  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 255 })
  clientId!: string;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** CONFIDENTIAL or PUBLIC. */
  @Column({ name: 'client_type', type: 'varchar', length: 16 })
  clientType!: string;

  @Column({ name: 'internal_client', type: 'boolean', default: false })
  internalClient!: boolean;

  /** argon2id hash of the client secret; null for PUBLIC clients. */
  @Column({ name: 'secret_hash', type: 'varchar', length: 255, nullable: true })
  secretHash!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  authorities!: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  scope!: string[];

  @Column({ name: 'authorized_grant_types', type: 'text', array: true, default: () => "'{}'" })
  authorizedGrantTypes!: string[];

  @Column({ name: 'redirect_uris', type: 'text', array: true, default: () => "'{}'" })
  redirectUris!: string[];

  /** Seconds. */
  @Column({ name: 'access_token_validity', type: 'integer' })
  accessTokenValidity!: number;

  /** Seconds. */
  @Column({ name: 'refresh_token_validity', type: 'integer' })
  refreshTokenValidity!: number;

  @Column({ name: 'contact_center_ids', type: 'text', array: true, default: () => "'{}'" })
  contactCenterIds!: string[];

  /** `opaque` (default) or `jwt` (RFC 9068) access tokens. */
  @Column({ name: 'token_format', type: 'varchar', length: 16, default: 'opaque' })
  tokenFormat!: string;

  /** Public keys (a JWK Set) that sign this client's jwt-bearer assertions. */
  @Column({ type: 'jsonb', nullable: true })
  jwks!: { keys: Record<string, unknown>[] } | null;

  @Column({ name: 'jwks_uri', type: 'varchar', length: 2048, nullable: true })
  jwksUri!: string | null;

  /** RFC 8693 exchange policy (subject token types, subject clients, audiences); null = the default. */
  @Column({ name: 'token_exchange', type: 'jsonb', nullable: true })
  tokenExchange!: { subjectTokenTypes: string[]; subjectClients: string[]; audiences: string[] | null } | null;

  /** Authorization-code requests must carry PKCE (PUBLIC clients always must, whatever this says). */
  @Column({ name: 'require_pkce', type: 'boolean', default: false })
  requirePkce!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** One Configuration Server endpoint of an environment (stored as JSON on the environment row). */
export interface ConfigServerRecord {
  primaryAddress: string;
  primaryPort: number;
  backupAddress?: string;
  backupPort?: number;
  readOnly: boolean;
  /** Location(s) this endpoint serves, e.g. `/USW1` (the product's field name, a string). */
  locations: string;
}

/** SecretBox purpose of `passwordEncrypted` (sealed with the environment id as context). */
export const ENVIRONMENT_PASSWORD_SEAL = 'environment.password';

/**
 * A Genesys environment: one tenant Configuration Server connection. The Configuration Server
 * password is stored only encrypted (AES-256-GCM, `passwordEncrypted`) and never returned.
 */
@Entity({ name: 'environment' })
export class EnvironmentEntity {
  /** Caller-supplied (the tenant UUID) or generated. */
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 255 })
  username!: string;

  /** Sealed by the platform's SecretBox (purpose ENVIRONMENT_PASSWORD_SEAL, context the environment id). */
  @Column({ name: 'password_encrypted', type: 'text' })
  passwordEncrypted!: string;

  @Column({ name: 'connection_protocol', type: 'varchar', length: 64, nullable: true })
  connectionProtocol!: string | null;

  @Column({ name: 'remote_timeout', type: 'integer', nullable: true })
  remoteTimeout!: number | null;

  @Column({ name: 'local_timeout', type: 'integer', nullable: true })
  localTimeout!: number | null;

  @Column({ name: 'app_name', type: 'varchar', length: 255 })
  appName!: string;

  @Column({ name: 'trace_mode', type: 'varchar', length: 64, nullable: true })
  traceMode!: string | null;

  @Column({ name: 'tls_enabled', type: 'boolean', default: false })
  tlsEnabled!: boolean;

  @Column({ type: 'varchar', length: 255, nullable: true })
  tenant!: string | null;

  @Column({ name: 'config_servers', type: 'jsonb' })
  configServers!: ConfigServerRecord[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

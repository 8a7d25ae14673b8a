import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { ContactCenterDirectoryRecord } from './contact-center-directory';
import { ContactCenterDomainEntity } from './contact-center-domain.entity';
import { EnvironmentEntity } from './environment.entity';

/**
 * Which directory a contact center's users live in: the Configuration Server (through its gateway),
 * LDAP / Active Directory, or local users only; `saml` / `oidc` (the product's values) mean local
 * users. Whether they sign in with a password or at an identity provider is the contact center's
 * `identity_provider` row, not this value.
 */
export const CONTACT_CENTER_AUTH_VALUES = ['configServer', 'ldap', 'local', 'saml', 'oidc'] as const;
export type ContactCenterAuth = (typeof CONTACT_CENTER_AUTH_VALUES)[number];

/** A contact center (CCID = tenant UUID) in an environment; its users sign in as `domain\user`. */
@Entity({ name: 'contact_center' })
export class ContactCenterEntity {
  /** Caller-supplied (the CCID) or generated. */
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('IDX_contact_center_environment_id')
  @Column({ name: 'environment_id', type: 'uuid' })
  environmentId!: string;

  /** An environment cannot be deleted while a contact center uses it. */
  @ManyToOne(() => EnvironmentEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'environment_id' })
  environment?: EnvironmentEntity;

  @Column({ type: 'varchar', length: 32, default: 'configServer' })
  auth!: ContactCenterAuth;

  /** Directory settings (LDAP connection, Configuration Server tenant); secrets sealed. */
  @Column({ type: 'jsonb', nullable: true })
  directory!: ContactCenterDirectoryRecord | null;

  /** Lowercased; each domain belongs to exactly one contact center. */
  @OneToMany(() => ContactCenterDomainEntity, (domain) => domain.contactCenter)
  domains?: ContactCenterDomainEntity[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

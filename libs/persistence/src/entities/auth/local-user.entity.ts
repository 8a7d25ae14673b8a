import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * A user of the local directory: belongs to one contact center, signs in as `<domain>\<username>`.
 * User names are unique per contact center regardless of case (`username_lower`). The password is
 * an argon2id hash (PHC string); the plain password is never stored.
 */
@Entity({ name: 'local_user' })
@Index('UQ_local_user_contact_center_username', ['contactCenterId', 'usernameLower'], { unique: true })
export class LocalUserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The contact center (environment-api `contact_center.id`); not a foreign key across services. */
  @Column({ name: 'contact_center_id', type: 'uuid' })
  contactCenterId!: string;

  /** As created (case kept for display). */
  @Column({ type: 'varchar', length: 255 })
  username!: string;

  @Column({ name: 'username_lower', type: 'varchar', length: 255 })
  usernameLower!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 512 })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email!: string | null;

  @Column({ name: 'first_name', type: 'varchar', length: 255, nullable: true })
  firstName!: string | null;

  @Column({ name: 'last_name', type: 'varchar', length: 255, nullable: true })
  lastName!: string | null;

  @Column({ type: 'jsonb' })
  authorities!: string[];

  @Column({ type: 'jsonb' })
  properties!: Record<string, string>;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  /**
   * `sso`: created just in time by a single sign-on, and kept in step with the identity provider (its
   * authorities, names, e-mail) at each SSO sign-in; null: created by the operator.
   */
  @Column({ name: 'provisioned_by', type: 'varchar', length: 8, nullable: true })
  provisionedBy!: 'sso' | null;

  @Column({ name: 'password_changed_at', type: 'timestamptz' })
  passwordChangedAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

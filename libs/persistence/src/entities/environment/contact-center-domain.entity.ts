import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ContactCenterEntity } from './contact-center.entity';

/**
 * A login domain (the `tenant` of `tenant\user`). Stored lowercased; the primary key makes one
 * domain belong to exactly one contact center. Lookup by domain is a primary-key read.
 */
@Entity({ name: 'contact_center_domain' })
export class ContactCenterDomainEntity {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  domain!: string;

  @Index('IDX_contact_center_domain_contact_center_id')
  @Column({ name: 'contact_center_id', type: 'uuid' })
  contactCenterId!: string;

  @ManyToOne(() => ContactCenterEntity, (contactCenter) => contactCenter.domains, {
    onDelete: 'CASCADE',
    nullable: false,
  })
  @JoinColumn({ name: 'contact_center_id' })
  contactCenter?: ContactCenterEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

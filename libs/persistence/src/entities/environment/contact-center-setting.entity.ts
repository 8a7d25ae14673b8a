import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { ContactCenterEntity } from './contact-center.entity';

/** The setting that carries the older CORS mechanism's origin list. */
export const CORS_ORIGINS_SETTING = 'cors-origins';

/** A named contact-center setting for a location (`/` = every location); upserted by name + location. */
@Entity({ name: 'contact_center_setting' })
@Unique('UQ_contact_center_setting_name_location', ['contactCenterId', 'name', 'location'])
export class ContactCenterSettingEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'contact_center_id', type: 'uuid' })
  contactCenterId!: string;

  @ManyToOne(() => ContactCenterEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'contact_center_id' })
  contactCenter?: ContactCenterEntity;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'varchar', length: 255, default: '/' })
  location!: string;

  @Column({ type: 'boolean', default: false })
  shared!: boolean;

  @Column({ type: 'text' })
  value!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

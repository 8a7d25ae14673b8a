import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { ContactCenterEntity } from './contact-center.entity';

/** One allowed browser origin (the newer `/environment/v3/cors` API), normalised `scheme://host[:port]`. */
@Entity({ name: 'cors_origin' })
@Unique('UQ_cors_origin_contact_center_origin', ['contactCenterId', 'origin'])
export class CorsOriginEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'contact_center_id', type: 'uuid' })
  contactCenterId!: string;

  @ManyToOne(() => ContactCenterEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'contact_center_id' })
  contactCenter?: ContactCenterEntity;

  @Column({ type: 'varchar', length: 2048 })
  origin!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

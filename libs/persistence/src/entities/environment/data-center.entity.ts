import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A region of the deployment: its location, its public entry point, and whether it takes writes. */
@Entity({ name: 'data_center' })
export class DataCenterEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Location in the Genesys convention, e.g. `/usw1`; unique, compared case-insensitively. */
  @Column({ type: 'varchar', length: 255, unique: true })
  location!: string;

  @Column({ name: 'entry_point', type: 'varchar', length: 2048 })
  entryPoint!: string;

  @Column({ name: 'read_only', type: 'boolean', default: false })
  readOnly!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One security event (sign-in, lockout, client or user change, key rotation, sign-out...): who, what,
 * which client and tenant, from where, with what outcome, in which request. Never a secret: no
 * password, secret, token or code is ever put in it. Kept AUDIT_RETENTION_DAYS, then purged.
 */
@Entity({ name: 'audit_event' })
@Index('IDX_audit_event_occurred_at', ['occurredAt', 'id'])
@Index('IDX_audit_event_type_occurred_at', ['type', 'occurredAt'])
export class AuditEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  /** e.g. `sign_in`, `lockout`, `client_created` (AUDIT_EVENT_TYPES). */
  @Column({ type: 'varchar', length: 64 })
  type!: string;

  /** `success` or `failure`. */
  @Column({ type: 'varchar', length: 16 })
  outcome!: string;

  /** Who acted: a user (`tenant\user` or a user id), `ops`, or a client id. */
  @Column({ type: 'varchar', length: 512, nullable: true })
  actor!: string | null;

  /** What was acted on (a client id, a user id, a key id), when not the actor. */
  @Column({ type: 'varchar', length: 512, nullable: true })
  target!: string | null;

  @Column({ name: 'client_id', type: 'varchar', length: 255, nullable: true })
  clientId!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  tenant!: string | null;

  @Column({ name: 'source_ip', type: 'varchar', length: 64, nullable: true })
  sourceIp!: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId!: string | null;

  /** Non-secret detail (e.g. the grant type, the reason of a failure). */
  @Column({ type: 'jsonb', nullable: true })
  detail!: Record<string, unknown> | null;
}

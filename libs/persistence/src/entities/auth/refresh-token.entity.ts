import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A refresh token, stored as the SHA-256 of the token. Each use rotates it (`rotated_at` set, a new row in
 * the same family); presenting a rotated token again revokes the whole family, unless it is a retry within
 * the grace window (`successor`).
 */
@Entity({ name: 'refresh_token' })
export class RefreshTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index({ unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Index()
  @Column({ name: 'family_id', type: 'uuid' })
  familyId!: string;

  @Index()
  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId!: string;

  @Index()
  @Column({ type: 'varchar', length: 512 })
  subject!: string;

  @Column({ type: 'text' })
  scope!: string;

  /** What the access tokens minted from this refresh token speak for (user, authorities, auth time). */
  @Column({ type: 'jsonb' })
  grant!: Record<string, unknown>;

  /** Indexed for the housekeeping purge (as is revoked_at). */
  @Index()
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'rotated_at', type: 'timestamptz', nullable: true })
  rotatedAt!: Date | null;

  @Index()
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /**
   * The answer that rotated this token (successor refresh token, access token record), sealed with the
   * SecretBox, so a retry within the grace window gets the same pair. Cleared once the successor rotates.
   */
  @Column({ type: 'text', nullable: true })
  successor!: string | null;

  /** When the sealed answer was last handed out again: from then on the rotation is never undone. */
  @Column({ name: 'replayed_at', type: 'timestamptz', nullable: true })
  replayedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

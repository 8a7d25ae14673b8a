import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** SecretBox purpose of `encryptedPrivateJwk` (sealed with the kid as context). */
export const SIGNING_KEY_SEAL = 'signing-key';

/**
 * A key that signs JWTs (access tokens, id tokens, `X-GWS-User`). The newest active key signs; older keys
 * keep verifying until `retired_at`. The private JWK is encrypted with AES-256-GCM under `ENCRYPTION_KEY`.
 */
@Entity({ name: 'signing_key' })
export class SigningKeyEntity {
  /** The JWK `kid`. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid!: string;

  /** ES256 or RS256. */
  @Column({ type: 'varchar', length: 16 })
  algorithm!: string;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk!: Record<string, unknown>;

  /** The private JWK JSON, sealed by the platform's SecretBox (purpose SIGNING_KEY_SEAL, context the kid). */
  @Column({ name: 'encrypted_private_jwk', type: 'text' })
  encryptedPrivateJwk!: string;

  @Index()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** When set: no longer signs; still verifies (and is published) until this instant. */
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;
}

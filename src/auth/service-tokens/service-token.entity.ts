import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../common/timestamps';

/**
 * A long-lived credential for another system calling back (e.g. DolphinScheduler's HTTP task):
 * one scope, stored as a SHA-256 hash, revocable. A token the service embeds in another system
 * itself is also kept sealed (SecretCipher) so every replica can embed the same one.
 */
@Index('uq_service_tokens_hash', ['tokenHash'], { unique: true })
@Index('uq_service_tokens_active_for', ['activeFor'], { unique: true })
@Entity('service_tokens')
export class ServiceTokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id: string;

  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ type: 'varchar', length: 64 })
  scope: string;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ type: 'text', nullable: true })
  sealed: string | null;

  /** The manager this token is the active one of (unique while set); null once revoked. */
  @Column({ name: 'active_for', type: 'varchar', length: 64, nullable: true })
  activeFor: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 40, nullable: true })
  createdBy: string | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;

  @TimestampColumn({ name: 'revoked_at', nullable: true })
  revokedAt: Date | null;
}

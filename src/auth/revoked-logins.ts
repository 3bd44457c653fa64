import { IsNull, Repository } from 'typeorm';
import { RefreshTokenEntity } from './entities/refresh-token.entity';

/** How long an answer "this login is live" is trusted before the store is asked again. */
export const LIVE_ANSWER_TTL_MS = 5_000;
const MAX_REMEMBERED = 10_000;

/**
 * Whether a login (a refresh-token family) has ended, so its access tokens stop working too: by
 * logout, by the reuse of a spent refresh token, or because an admin disabled, changed or deleted
 * the user (whose refresh tokens then go with it). A login is live while one of its refresh tokens
 * is unrevoked. Access tokens are checked on every request, so answers are remembered: revocations
 * made through this service count at once, others (another replica, the users admin) within
 * LIVE_ANSWER_TTL_MS.
 */
export class RevokedLogins {
  private readonly answers = new Map<string, { revoked: boolean; userId: string; at: number }>();

  constructor(
    private readonly refreshTokens: Repository<RefreshTokenEntity>,
    private readonly now: () => number = Date.now,
  ) {}

  async isRevoked(familyId: string, userId: string): Promise<boolean> {
    const known = this.answers.get(familyId);
    if (known && (known.revoked || this.now() - known.at < LIVE_ANSWER_TTL_MS)) return known.revoked;
    const revoked = !(await this.refreshTokens.exists({ where: { familyId, revokedAt: IsNull() } }));
    this.remember(familyId, userId, revoked);
    return revoked;
  }

  familyRevoked(familyId: string, userId: string): void {
    this.remember(familyId, userId, true);
  }

  userRevoked(userId: string): void {
    for (const [familyId, answer] of this.answers)
      if (answer.userId === userId) this.answers.set(familyId, { ...answer, revoked: true });
  }

  private remember(familyId: string, userId: string, revoked: boolean): void {
    // Oldest first out: a Map iterates in insertion order.
    this.answers.delete(familyId);
    if (this.answers.size >= MAX_REMEMBERED) this.answers.delete(this.answers.keys().next().value!);
    this.answers.set(familyId, { revoked, userId, at: this.now() });
  }
}

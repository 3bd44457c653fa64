import { Repository } from 'typeorm';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { LIVE_ANSWER_TTL_MS, RevokedLogins } from './revoked-logins';

/** A store of logins: family → whether one of its refresh tokens is still unrevoked. */
function store(live: Map<string, boolean>) {
  const asked: string[] = [];
  const repo = {
    exists: async ({ where }: { where: { familyId: string } }) => {
      asked.push(where.familyId);
      return live.get(where.familyId) ?? false;
    },
  } as unknown as Repository<RefreshTokenEntity>;
  return { repo, asked };
}

describe('RevokedLogins', () => {
  it('asks the store once per live login within the TTL, then again', async () => {
    let now = 1_000_000;
    const live = new Map([['fam-a', true]]);
    const { repo, asked } = store(live);
    const logins = new RevokedLogins(repo, () => now);
    expect(await logins.isRevoked('fam-a', 'u1')).toBe(false);
    expect(await logins.isRevoked('fam-a', 'u1')).toBe(false);
    expect(asked).toEqual(['fam-a']);
    // Revoked elsewhere (another replica): seen once the remembered answer is old.
    live.set('fam-a', false);
    now += LIVE_ANSWER_TTL_MS - 1;
    expect(await logins.isRevoked('fam-a', 'u1')).toBe(false);
    now += 2;
    expect(await logins.isRevoked('fam-a', 'u1')).toBe(true);
    // A revoked login stays revoked without asking again.
    now += 10 * LIVE_ANSWER_TTL_MS;
    expect(await logins.isRevoked('fam-a', 'u1')).toBe(true);
    expect(asked).toEqual(['fam-a', 'fam-a']);
  });

  it('counts revocations made here at once, for one login or every login of a user', async () => {
    const { repo } = store(
      new Map([
        ['fam-a', true],
        ['fam-b', true],
        ['fam-c', true],
      ]),
    );
    const logins = new RevokedLogins(repo, () => 0);
    for (const fam of ['fam-a', 'fam-b']) expect(await logins.isRevoked(fam, 'u1')).toBe(false);
    expect(await logins.isRevoked('fam-c', 'u2')).toBe(false);
    logins.familyRevoked('fam-a', 'u1');
    expect(await logins.isRevoked('fam-a', 'u1')).toBe(true);
    expect(await logins.isRevoked('fam-b', 'u1')).toBe(false);
    logins.userRevoked('u1');
    expect(await logins.isRevoked('fam-b', 'u1')).toBe(true);
    expect(await logins.isRevoked('fam-c', 'u2')).toBe(false);
  });

  it('takes a login with no refresh token left (user deleted) as ended', async () => {
    const { repo } = store(new Map());
    expect(await new RevokedLogins(repo).isRevoked('fam-gone', 'u1')).toBe(true);
  });
});

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { SecretCipher } from '../../common/crypto/secret-cipher';
import { DomainException } from '../../common/errors/domain.exception';
import { ErrorReason } from '../../common/errors/error-reason';
import { newId } from '../../common/ids';
import { iso } from '../../common/timestamps';
import { isUniqueViolation } from '../../database/store-errors';
import { Principal, Role } from '../role';
import { ServiceTokenDto } from './service-token.dto';
import { ServiceTokenEntity } from './service-token.entity';
import { parseServiceToken, SERVICE_TOKEN_PREFIX } from './service-scope';

/** How often `last_used_at` is refreshed at most: a busy callback should not write on every call. */
const LAST_USED_EVERY_MS = 60_000;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export function toServiceTokenDto(t: ServiceTokenEntity): ServiceTokenDto {
  return {
    id: t.id,
    name: t.name,
    scope: t.scope,
    active_for: t.activeFor,
    created_at: iso(t.createdAt)!,
    last_used_at: iso(t.lastUsedAt),
    revoked_at: iso(t.revokedAt),
  };
}

/**
 * Service tokens: issued for one integration and one scope, checked by hash, revoked by an admin.
 * A revoked integration token is replaced by a fresh one the next time the integration asks.
 */
@Injectable()
export class ServiceTokensService {
  constructor(
    @InjectRepository(ServiceTokenEntity) private readonly tokens: Repository<ServiceTokenEntity>,
    private readonly cipher: SecretCipher,
  ) {}

  /**
   * The token an integration embeds in the other system: its active one, or a new one when there
   * is none (the first use, or after a revoke). Replicas racing to create it end up sharing one.
   */
  async activeFor(manager: string, name: string, scope: string): Promise<{ id: string; token: string }> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.tokens.findOne({ where: { activeFor: manager, revokedAt: IsNull() } });
      if (current?.sealed) return { id: current.id, token: this.cipher.decrypt(current.sealed) };
      const id = newId('svc');
      const token = `${SERVICE_TOKEN_PREFIX}${id}.${randomBytes(32).toString('base64url')}`;
      try {
        await this.tokens.insert({
          id,
          name,
          scope,
          tokenHash: sha256(token),
          sealed: this.cipher.encrypt(token),
          activeFor: manager,
          createdBy: null,
          createdAt: new Date(),
          lastUsedAt: null,
          revokedAt: null,
        });
        return { id, token };
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
    }
    throw new Error(`Could not settle the active service token of ${manager}`);
  }

  /** The id of the integration's active token, or null (none issued yet, or revoked). */
  async activeIdFor(manager: string): Promise<string | null> {
    const current = await this.tokens.findOne({
      where: { activeFor: manager, revokedAt: IsNull() },
      select: { id: true },
    });
    return current?.id ?? null;
  }

  /** Checks a presented service token for a route of `scope`; the caller it stands for. */
  async verify(presented: string, scope: string): Promise<Principal> {
    const parts = parseServiceToken(presented);
    const row = parts ? await this.tokens.findOne({ where: { id: parts.id } }) : null;
    const a = Buffer.from(sha256(presented), 'hex');
    const b = Buffer.from(row?.tokenHash ?? '0'.repeat(64), 'hex');
    if (!row || a.length !== b.length || !timingSafeEqual(a, b))
      throw new DomainException(ErrorReason.ServiceTokenInvalid, 'Invalid service token');
    if (row.revokedAt)
      throw new DomainException(
        ErrorReason.ServiceTokenInvalid,
        'Service token revoked',
        `Token ${row.id} was revoked at ${iso(row.revokedAt)}`,
      );
    if (row.scope !== scope)
      throw new DomainException(
        ErrorReason.ServiceTokenOutOfScope,
        `Service token ${row.id} is scoped to ${row.scope}`,
        `This route needs ${scope}`,
      );
    const now = new Date();
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_EVERY_MS)
      await this.tokens.update({ id: row.id }, { lastUsedAt: now });
    return { id: row.id, username: `service:${row.name}`, role: Role.Operator, service: { scope: row.scope } };
  }

  async list(): Promise<ServiceTokenDto[]> {
    const rows = await this.tokens.find({ order: { createdAt: 'DESC', id: 'DESC' } });
    return rows.map(toServiceTokenDto);
  }

  /** Refused from now on, everywhere; its sealed copy is dropped. Revoking twice is harmless. */
  async revoke(id: string): Promise<ServiceTokenDto> {
    const row = await this.tokens.findOne({ where: { id } });
    if (!row) throw new DomainException(ErrorReason.ServiceTokenNotFound, `Service token ${id} not found`);
    if (!row.revokedAt)
      await this.tokens.update({ id, revokedAt: IsNull() }, { revokedAt: new Date(), activeFor: null, sealed: null });
    return toServiceTokenDto((await this.tokens.findOne({ where: { id } }))!);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, FindOptionsWhere, LessThanOrEqual, MoreThanOrEqual, Repository } from 'typeorm';
import { pageOf, pageRequest } from '../common/http/pagination';
import { newId } from '../common/ids';
import { redactSecrets } from '../common/redact';
import { iso } from '../common/timestamps';
import { AuditLogEntity } from './audit-log.entity';
import { ListAuditLogsQueryDto } from './audit.dto';

export interface AuditRecord {
  action: string;
  resourceType: string;
  resourceId?: string | null;
  actor: string | null;
  actorName?: string | null;
  method?: string;
  path?: string;
  statusCode?: number;
  ip?: string | null;
  requestId?: string | null;
  details?: unknown;
}

@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditLogEntity) private readonly logs: Repository<AuditLogEntity>) {}

  /** Appends one entry; details pass through the secret mask first, always. */
  async record(r: AuditRecord): Promise<void> {
    await this.logs.insert({
      id: newId('aud'),
      createdAt: new Date(),
      actorId: r.actor,
      actorUsername: r.actorName ?? null,
      action: r.action.slice(0, 96),
      resourceType: r.resourceType.slice(0, 32),
      resourceId: r.resourceId?.slice(0, 64) ?? null,
      method: r.method ?? null,
      path: r.path?.slice(0, 512) ?? null,
      statusCode: r.statusCode ?? null,
      ip: r.ip?.slice(0, 64) ?? null,
      requestId: r.requestId?.slice(0, 128) ?? null,
      details: r.details === undefined ? null : JSON.stringify(redactSecrets(r.details)),
    });
  }

  async list(q: ListAuditLogsQueryDto) {
    const p = pageRequest(q);
    const where: FindOptionsWhere<AuditLogEntity> = {};
    if (q.action) where.action = q.action;
    if (q.resource_type) where.resourceType = q.resource_type;
    if (q.resource_id) where.resourceId = q.resource_id;
    if (q.actor_id) where.actorId = q.actor_id;
    const from = q.start_time ? new Date(q.start_time) : undefined;
    const to = q.end_time ? new Date(q.end_time) : undefined;
    if (from && to) where.createdAt = Between(from, to);
    else if (from) where.createdAt = MoreThanOrEqual(from);
    else if (to) where.createdAt = LessThanOrEqual(to);
    const [rows, total] = await this.logs.findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: p.skip,
      take: p.pageSize,
    });
    return pageOf(
      'audit_logs',
      rows.map((r) => ({
        id: r.id,
        created_at: iso(r.createdAt),
        actor_id: r.actorId,
        actor_username: r.actorUsername,
        action: r.action,
        resource_type: r.resourceType,
        resource_id: r.resourceId,
        method: r.method,
        path: r.path,
        status_code: r.statusCode,
        ip: r.ip,
        request_id: r.requestId,
        details: r.details ? (JSON.parse(r.details) as unknown) : null,
      })),
      total,
      p,
    );
  }
}

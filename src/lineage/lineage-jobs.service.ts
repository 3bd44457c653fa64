import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { pageOf, PageQueryDto, pageRequest } from '../common/http/pagination';
import { dialectOf } from '../catalog/store/sql-dialect';
import {
  LineageJobDto,
  LineageJobListDto,
  LineageRunDto,
  LineageRunListDto,
  ListJobsQueryDto,
} from './dto/lineage-jobs.dto';
import { LineageException } from './lineage.exception';

interface JobRow {
  id: string;
  namespace: string;
  name: string;
  producer: string | null;
  facets: string | null;
  latest_run_id: string | null;
  created_at: unknown;
  updated_at: unknown;
}
interface RunRow {
  id: string;
  job_id: string;
  run_uuid: string;
  state: string;
  started_at: unknown;
  ended_at: unknown;
  event_time: unknown;
  error_message: string | null;
  facets: string | null;
}

const isoOf = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(Number(v)).toISOString());
const parsed = (text: string | null): Record<string, unknown> =>
  text ? (JSON.parse(text) as Record<string, unknown>) : {};
const RUN_COLUMNS = 'id, job_id, run_uuid, state, started_at, ended_at, event_time, error_message, facets';

/** OpenLineage jobs and their runs as received. */
@Injectable()
export class LineageJobsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(q: ListJobsQueryDto): Promise<LineageJobListDto> {
    const d = dialectOf(this.db);
    const p = pageRequest(q);
    const where = q.namespace ? `WHERE namespace = ${d.param(1)}` : '';
    const args = q.namespace ? [q.namespace] : [];
    const total = Number(
      ((await this.db.query(`SELECT COUNT(*) AS n FROM lineage_jobs ${where}`, args)) as Array<{ n: unknown }>)[0].n,
    );
    const rows = (await this.db.query(
      `SELECT * FROM lineage_jobs ${where} ORDER BY ${d.bytewise('namespace')}, ${d.bytewise('name')}, id LIMIT ${p.pageSize} OFFSET ${p.skip}`,
      args,
    )) as JobRow[];
    const runs = await this.runsById(rows.map((r) => r.latest_run_id).filter((id): id is string => !!id));
    return pageOf(
      'jobs',
      rows.map((r) => this.jobDto(r, runs)),
      total,
      p,
    );
  }

  async get(id: string): Promise<LineageJobDto> {
    const d = dialectOf(this.db);
    const rows = (await this.db.query(`SELECT * FROM lineage_jobs WHERE id = ${d.param(1)}`, [id])) as JobRow[];
    if (rows.length === 0) throw LineageException.jobNotFound(id);
    return this.jobDto(rows[0], await this.runsById(rows[0].latest_run_id ? [rows[0].latest_run_id] : []));
  }

  /** Runs of a job, newest event first. */
  async runs(id: string, q: PageQueryDto): Promise<LineageRunListDto> {
    await this.get(id);
    const d = dialectOf(this.db);
    const p = pageRequest(q);
    const total = Number(
      (
        (await this.db.query(`SELECT COUNT(*) AS n FROM lineage_runs WHERE job_id = ${d.param(1)}`, [id])) as Array<{
          n: unknown;
        }>
      )[0].n,
    );
    const rows = (await this.db.query(
      `SELECT ${RUN_COLUMNS} FROM lineage_runs WHERE job_id = ${d.param(1)} ORDER BY event_time DESC, id DESC LIMIT ${p.pageSize} OFFSET ${p.skip}`,
      [id],
    )) as RunRow[];
    return pageOf(
      'runs',
      rows.map((r) => this.runDto(r)),
      total,
      p,
    );
  }

  private async runsById(ids: string[]): Promise<Map<string, LineageRunDto>> {
    if (ids.length === 0) return new Map();
    const d = dialectOf(this.db);
    const rows = (await this.db.query(
      `SELECT ${RUN_COLUMNS} FROM lineage_runs WHERE id IN (${ids.map((_, i) => d.param(i + 1)).join(', ')})`,
      ids,
    )) as RunRow[];
    return new Map(rows.map((r) => [r.id, this.runDto(r)]));
  }

  private jobDto(r: JobRow, runs: Map<string, LineageRunDto>): LineageJobDto {
    return {
      id: r.id,
      namespace: r.namespace,
      name: r.name,
      producer: r.producer,
      facets: parsed(r.facets),
      latest_run: r.latest_run_id ? (runs.get(r.latest_run_id) ?? null) : null,
      created_at: isoOf(r.created_at)!,
      updated_at: isoOf(r.updated_at)!,
    };
  }

  private runDto(r: RunRow): LineageRunDto {
    return {
      id: r.id,
      run_id: r.run_uuid,
      job_id: r.job_id,
      state: r.state,
      started_at: isoOf(r.started_at),
      ended_at: isoOf(r.ended_at),
      event_time: isoOf(r.event_time)!,
      error_message: r.error_message,
      facets: parsed(r.facets),
    };
  }
}

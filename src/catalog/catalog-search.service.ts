import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { pageOf, pageRequest } from '../common/http/pagination';
import { SearchQueryDto } from './dto/catalog-query.dto';
import { SearchResultDto, SearchResultListDto } from './dto/search.dto';
import { buildSearchCountSql, buildSearchSql } from './store/search-sql';
import { dialectOf, SqlDialect } from './store/sql-dialect';

interface MatchRow {
  item_type: 'asset' | 'field';
  item_id: string;
  asset_id: string;
  field_id: string | null;
  data_source_id: string;
  namespace: string;
  asset_name: string;
  asset_kind: string;
  field_name: string | null;
  field_path: string | null;
  data_type: string | null;
  item_name: string;
  item_comment: string | null;
  match_rank: unknown;
  total_count: unknown;
}

const MATCH = ['exact', 'prefix', 'substring', 'comment'] as const;

/** Finds assets and fields by name and comment: exact before prefix before substring, then by name. */
@Injectable()
export class CatalogSearchService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async search(q: SearchQueryDto): Promise<SearchResultListDto> {
    const p = pageRequest(q);
    const dialect = dialectOf(this.db);
    const filter = { q: q.q, dataSourceId: q.datasource_id, type: q.type };
    const page = buildSearchSql(dialect, { ...filter, limit: p.pageSize, offset: p.skip });
    const rows = await this.query<MatchRow>(dialect, page.sql, page.params);
    let total = rows.length > 0 ? Number(rows[0].total_count) : 0;
    if (rows.length === 0 && p.skip > 0) {
      const count = buildSearchCountSql(dialect, filter);
      total = Number((await this.query<{ n: unknown }>(dialect, count.sql, count.params))[0]?.n ?? 0);
    }
    return pageOf('results', rows.map(toResult), total, p);
  }

  /**
   * On PostgreSQL the search runs without parallel workers: starting them costs more than these
   * index-served queries take (measured 3–10× slower with them on bench/catalog).
   */
  private async query<T>(dialect: SqlDialect, sql: string, params: unknown[]): Promise<T[]> {
    if (dialect.store !== 'postgres') return (await this.db.query(sql, params)) as T[];
    return this.db.transaction(async (em) => {
      await em.query('SET LOCAL max_parallel_workers_per_gather = 0');
      return (await em.query(sql, params)) as T[];
    });
  }
}

function toResult(r: MatchRow): SearchResultDto {
  const match = MATCH[Number(r.match_rank)] ?? 'comment';
  return {
    type: r.item_type,
    id: r.item_id,
    asset_id: r.asset_id,
    field_id: r.field_id,
    data_source_id: r.data_source_id,
    namespace: r.namespace,
    asset_name: r.asset_name,
    asset_type: r.asset_kind,
    field_name: r.field_name,
    field_path: r.field_path,
    data_type: r.data_type,
    name: r.item_name,
    match,
    matched_in: match === 'comment' ? 'comment' : 'name',
    matched_text: match === 'comment' ? (r.item_comment ?? '') : r.item_name,
  };
}

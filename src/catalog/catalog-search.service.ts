import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { pageOf, pageRequest } from '../common/http/pagination';
import { SearchQueryDto } from './dto/catalog-query.dto';
import { SearchResultDto, SearchResultListDto } from './dto/search.dto';
import { buildSearchCountSql, buildSearchSql } from './store/search-sql';
import { dialectOf, SqlDialect } from './store/sql-dialect';
import { CATALOG_ANNOTATIONS, CatalogAnnotations, WrittenMatch } from './catalog-annotations.port';
import { annotationFilterOf } from './catalog-query.service';

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

const MATCH = ['exact', 'prefix', 'substring', 'comment', 'description', 'term'] as const;

/**
 * Finds assets and fields by name and comment: exact before prefix before substring, then by name;
 * then by what people wrote (description, then glossary terms and synonyms), when src/annotations is there.
 */
@Injectable()
export class CatalogSearchService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Optional() @Inject(CATALOG_ANNOTATIONS) private readonly written?: CatalogAnnotations,
  ) {}

  async search(q: SearchQueryDto, callerId?: string): Promise<SearchResultListDto> {
    const p = pageRequest(q);
    const dialect = dialectOf(this.db);
    const [onlyAssets, written] = this.written
      ? await Promise.all([
          this.written.assetsMatching(annotationFilterOf(q, callerId)),
          this.written.textMatches(q.q, q.datasource_id),
        ])
      : [null, undefined];
    const filter = { q: q.q, dataSourceId: q.datasource_id, type: q.type, onlyAssets, written };
    const page = buildSearchSql(dialect, { ...filter, limit: p.pageSize, offset: p.skip });
    const texts = writtenTexts(written);
    const rows = await this.query<MatchRow>(dialect, page.sql, page.params);
    let total = rows.length > 0 ? Number(rows[0].total_count) : 0;
    if (rows.length === 0 && p.skip > 0) {
      const count = buildSearchCountSql(dialect, filter);
      total = Number((await this.query<{ n: unknown }>(dialect, count.sql, count.params))[0]?.n ?? 0);
    }
    return pageOf(
      'results',
      rows.map((r) => toResult(r, texts)),
      total,
      p,
    );
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

const textKey = (dataSourceId: string, namespace: string, asset: string, field: string | null, match: string) =>
  JSON.stringify([dataSourceId, namespace, asset, field, match]);

/** The written text that matched, by qualified name and kind of match, to show as `matched_text`. */
function writtenTexts(written?: { assets: WrittenMatch[]; fields: WrittenMatch[] }): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of [...(written?.assets ?? []), ...(written?.fields ?? [])]) {
    const field = 'fieldPath' in m.key ? m.key.fieldPath : null;
    const k = textKey(m.key.dataSourceId, m.key.namespace, m.key.name, field, m.match);
    if (!out.has(k)) out.set(k, m.text);
  }
  return out;
}

function toResult(r: MatchRow, texts: Map<string, string>): SearchResultDto {
  const match = MATCH[Number(r.match_rank)] ?? 'comment';
  if (match === 'description' || match === 'term') {
    const field = r.item_type === 'field' ? (r.field_path ?? r.field_name) : null;
    const text = texts.get(textKey(r.data_source_id, r.namespace, r.asset_name, field, match)) ?? '';
    return { ...toResult({ ...r, match_rank: 0 }, texts), match, matched_in: match, matched_text: text };
  }
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

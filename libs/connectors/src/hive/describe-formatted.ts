import { Row } from '../sql-shared/row-values';

/**
 * Reads the result of `DESCRIBE FORMATTED db.t` as HiveServer2 returns it: three columns
 * (col_name, data_type, comment) holding the column list, `# Partition Information`,
 * `# Detailed Table Information` with `Table Parameters:`, `# Storage Information` with
 * `Storage Desc Params:`, and `# View Information` for views. Cells are space-padded; empty
 * cells arrive as null (beeline prints NULL).
 */
export interface DescribedColumn {
  name: string;
  type: string;
  comment: string | null;
}

export interface DescribedTable {
  columns: DescribedColumn[];
  partitionColumns: DescribedColumn[];
  /** `Owner`, `Location`, `Table Type`, … (key without the colon). */
  detail: Map<string, string>;
  tableParameters: Map<string, string>;
  /** `SerDe Library`, `InputFormat`, `OutputFormat`, `Num Buckets`, … */
  storage: Map<string, string>;
  storageParameters: Map<string, string>;
  /** `View Original Text`, `View Expanded Text`, … */
  view: Map<string, string>;
}

type Section = 'columns' | 'partition' | 'detail' | 'storage' | 'view' | 'other';

function cell(row: Row, key: string): string {
  const v = row[key];
  if (v === null || v === undefined) return '';
  const s = String(v).trim();
  return s === 'NULL' ? '' : s;
}

function sectionOf(header: string): Section {
  const h = header.toLowerCase();
  if (h.startsWith('# partition information')) return 'partition';
  if (h.startsWith('# detailed table information')) return 'detail';
  if (h.startsWith('# storage information')) return 'storage';
  if (h.startsWith('# view information') || h.startsWith('# materialized view information')) return 'view';
  return 'other';
}

export function parseDescribeFormatted(rows: readonly Row[]): DescribedTable {
  const out: DescribedTable = {
    columns: [],
    partitionColumns: [],
    detail: new Map(),
    tableParameters: new Map(),
    storage: new Map(),
    storageParameters: new Map(),
    view: new Map(),
  };
  let section: Section = 'columns';
  /** Inside `Table Parameters:` or `Storage Desc Params:`, rows are (empty, key, value). */
  let parameters: Map<string, string> | null = null;

  for (const row of rows) {
    const name = cell(row, 'col_name');
    const type = cell(row, 'data_type');
    const comment = cell(row, 'comment');
    if (name.startsWith('#')) {
      if (!name.toLowerCase().startsWith('# col_name')) {
        section = sectionOf(name);
        parameters = null;
      }
      continue;
    }
    if (name === '') {
      if (parameters && type !== '') parameters.set(type, comment);
      continue;
    }
    parameters = null;
    if (section === 'columns' || section === 'partition') {
      (section === 'columns' ? out.columns : out.partitionColumns).push({ name, type, comment: comment || null });
      continue;
    }
    const key = name.replace(/:$/, '').trim();
    if (section === 'detail') {
      if (key === 'Table Parameters') parameters = out.tableParameters;
      else out.detail.set(key, type);
    } else if (section === 'storage') {
      if (key === 'Storage Desc Params') parameters = out.storageParameters;
      else out.storage.set(key, type);
    } else if (section === 'view') {
      out.view.set(key, type);
    }
  }
  return out;
}

import { ColumnSpec } from '../../catalog/store/bulk-sql';

const v = (name: string): ColumnSpec => ({ name, type: 'varchar' });
const n = (name: string): ColumnSpec => ({ name, type: 'bigint' });

/** lineage_edges in insert order. */
export const EDGE_COLUMNS: ColumnSpec[] = [
  v('id'),
  v('edge_key'),
  v('upstream_id'),
  v('downstream_id'),
  v('kind'),
  v('origin_type'),
  v('origin'),
  v('origin_data_source_id'),
  v('job_id'),
  v('run_id'),
  n('first_seen_at'),
  n('last_seen_at'),
  v('last_execution_id'),
];

/** lineage_field_edges in insert order. */
export const FIELD_EDGE_COLUMNS: ColumnSpec[] = [
  v('id'),
  v('edge_id'),
  v('upstream_id'),
  v('upstream_field'),
  v('downstream_id'),
  v('downstream_field'),
  v('transformation'),
];

/**
 * An Apache Iceberg table's current state from its metadata JSON (format versions 1–3,
 * https://iceberg.apache.org/spec/#table-metadata-fields): the current schema with nested fields,
 * the default partition spec, snapshots and last update.
 */
import { CatalogField } from '../core/types';

interface IcebergField {
  id: number;
  name: string;
  required: boolean;
  type: IcebergType;
  doc?: string;
  'initial-default'?: unknown;
}
type IcebergType =
  | string
  | { type: 'struct'; fields: IcebergField[] }
  | { type: 'list'; element: IcebergType; 'element-required': boolean }
  | { type: 'map'; key: IcebergType; value: IcebergType; 'value-required': boolean };
interface IcebergSchema {
  'schema-id'?: number;
  fields: IcebergField[];
}
interface PartitionField {
  'source-id': number;
  'field-id'?: number;
  name: string;
  transform: string;
}

export interface IcebergTable {
  fields: CatalogField[];
  /** From the current snapshot's summary (`total-records`), when the writer recorded it. */
  rows: number | null;
  properties: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function typeName(t: IcebergType): string {
  if (typeof t === 'string') return t;
  if (t.type === 'list') return `list<${typeName(t.element)}>`;
  if (t.type === 'map') return `map<${typeName(t.key)},${typeName(t.value)}>`;
  return 'struct';
}

function flatten(fields: IcebergField[], parent: string, out: CatalogField[], ids: Map<number, string>): void {
  for (const f of fields) {
    const path = parent ? `${parent}.${f.name}` : f.name;
    ids.set(f.id, path);
    out.push({
      name: path,
      ordinal: out.length + 1,
      dataType: typeName(f.type),
      nullable: !f.required,
      comment: f.doc ?? null,
      ...(parent ? { path } : {}),
      properties: { field_id: f.id },
    });
    let inner: IcebergType = f.type;
    // Fields of structs inside lists and map values are addressed through the container.
    while (typeof inner !== 'string' && inner.type !== 'struct')
      inner = inner.type === 'list' ? inner.element : inner.value;
    if (typeof inner !== 'string') flatten(inner.fields, inner === f.type ? path : `${path}[]`, out, ids);
  }
}

export function parseIcebergMetadata(json: string): IcebergTable {
  const meta: unknown = JSON.parse(json);
  if (!isObject(meta) || typeof meta['format-version'] !== 'number')
    throw new Error('Not Iceberg table metadata (no format-version)');
  const schemas = (Array.isArray(meta.schemas) ? meta.schemas : []) as IcebergSchema[];
  const schema =
    schemas.find((s) => s['schema-id'] === meta['current-schema-id']) ?? (meta.schema as IcebergSchema | undefined);
  if (!schema || !Array.isArray(schema.fields)) throw new Error('Iceberg metadata without a current schema');
  const fields: CatalogField[] = [];
  const ids = new Map<number, string>();
  flatten(schema.fields, '', fields, ids);

  const specs = (Array.isArray(meta['partition-specs']) ? meta['partition-specs'] : []) as {
    'spec-id': number;
    fields: PartitionField[];
  }[];
  const specFields =
    specs.find((s) => s['spec-id'] === meta['default-spec-id'])?.fields ??
    (Array.isArray(meta['partition-spec']) ? (meta['partition-spec'] as PartitionField[]) : []);
  const snapshots = Array.isArray(meta.snapshots) ? meta.snapshots : [];
  const lastUpdated = typeof meta['last-updated-ms'] === 'number' ? new Date(meta['last-updated-ms']) : null;
  const currentSnapshot = meta['current-snapshot-id'];
  const summary = (snapshots as { 'snapshot-id'?: unknown; summary?: Record<string, unknown> }[]).find(
    (s) => s['snapshot-id'] === currentSnapshot,
  )?.summary;
  const totalRecords = Number(summary?.['total-records']);
  return {
    fields,
    rows: Number.isFinite(totalRecords) && summary?.['total-records'] !== undefined ? totalRecords : null,
    properties: {
      format_version: meta['format-version'],
      table_uuid: meta['table-uuid'] ?? null,
      location: meta.location ?? null,
      current_schema_id: schema['schema-id'] ?? null,
      partition_spec: specFields.map((p) => ({
        name: p.name,
        source: ids.get(p['source-id']) ?? null,
        transform: p.transform,
      })),
      snapshot_count: snapshots.length,
      current_snapshot_id: currentSnapshot === -1 || currentSnapshot === undefined ? null : currentSnapshot,
      last_updated: lastUpdated?.toISOString() ?? null,
      table_properties: isObject(meta.properties) ? meta.properties : {},
    },
  };
}

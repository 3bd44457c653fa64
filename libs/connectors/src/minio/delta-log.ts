/**
 * A Delta Lake table's state from its transaction log (https://github.com/delta-io/delta/blob/master/PROTOCOL.md):
 * newline-delimited JSON actions per commit; the newest `metaData` action holds the schema
 * (`schemaString`, a Spark struct type as JSON) and the partition columns.
 */
import { CatalogField } from '../core/types';

type SparkType =
  | string
  | { type: 'struct'; fields: SparkField[] }
  | { type: 'array'; elementType: SparkType; containsNull: boolean }
  | { type: 'map'; keyType: SparkType; valueType: SparkType; valueContainsNull: boolean };
interface SparkField {
  name: string;
  type: SparkType;
  nullable: boolean;
  metadata?: Record<string, unknown>;
}

export interface DeltaMetaData {
  id: string | null;
  name: string | null;
  description: string | null;
  format: string | null;
  partitionColumns: string[];
  schemaString: string;
  createdTime: number | null;
}

/** The `metaData` action of one commit file, or null when the commit has none. */
export function deltaMetaDataOf(commit: string): DeltaMetaData | null {
  let found: DeltaMetaData | null = null;
  for (const line of commit.split('\n')) {
    if (!line.trim()) continue;
    const action = JSON.parse(line) as { metaData?: Record<string, unknown> };
    const m = action.metaData;
    if (!m || typeof m.schemaString !== 'string') continue;
    found = {
      id: typeof m.id === 'string' ? m.id : null,
      name: typeof m.name === 'string' ? m.name : null,
      description: typeof m.description === 'string' ? m.description : null,
      format: (m.format as { provider?: string } | undefined)?.provider ?? null,
      partitionColumns: Array.isArray(m.partitionColumns) ? m.partitionColumns.map(String) : [],
      schemaString: m.schemaString,
      createdTime: typeof m.createdTime === 'number' ? m.createdTime : null,
    };
  }
  return found;
}

function typeName(t: SparkType): string {
  if (typeof t === 'string') return t;
  if (t.type === 'array') return `array<${typeName(t.elementType)}>`;
  if (t.type === 'map') return `map<${typeName(t.keyType)},${typeName(t.valueType)}>`;
  return 'struct';
}

/** Columns of a Delta schemaString, nested struct fields as dotted paths. */
export function deltaFields(schemaString: string, partitionColumns: string[]): CatalogField[] {
  const schema = JSON.parse(schemaString) as { type?: string; fields?: SparkField[] };
  if (schema.type !== 'struct' || !Array.isArray(schema.fields)) throw new Error('Delta schemaString is not a struct');
  const out: CatalogField[] = [];
  const walk = (fields: SparkField[], parent: string) => {
    for (const f of fields) {
      const path = parent ? `${parent}.${f.name}` : f.name;
      const comment = f.metadata?.comment;
      out.push({
        name: path,
        ordinal: out.length + 1,
        dataType: typeName(f.type),
        nullable: f.nullable !== false,
        comment: typeof comment === 'string' ? comment : null,
        ...(parent ? { path } : {}),
        ...(!parent && partitionColumns.includes(f.name) ? { properties: { partition: true } } : {}),
      });
      let inner: SparkType = f.type;
      while (typeof inner !== 'string' && inner.type !== 'struct')
        inner = inner.type === 'array' ? inner.elementType : inner.valueType;
      if (typeof inner !== 'string') walk(inner.fields, inner === f.type ? path : `${path}[]`);
    }
  };
  walk(schema.fields, '');
  return out;
}

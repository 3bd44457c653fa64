/**
 * A generated source of `tables` tables × `columns` columns, as a connector would stream it:
 * ten schemas, names and comments drawn from a small business vocabulary (so search has
 * realistic exact, prefix and substring hits), a primary key and one index per table.
 */
import type { CatalogAsset, CatalogBatch, CatalogField } from '@app/connectors';

const WORDS = [
  'customer',
  'order',
  'invoice',
  'payment',
  'product',
  'amount',
  'status',
  'created',
  'updated',
  'address',
  'email',
  'phone',
  'country',
  'city',
  'price',
  'quantity',
  'discount',
  'tax',
  'currency',
  'account',
  'balance',
  'user',
  'session',
  'event',
  'source',
  'target',
  'region',
  'store',
  'item',
  'category',
  'brand',
  'supplier',
  'shipment',
  'warehouse',
  'note',
  'code',
  'label',
  'level',
  'score',
  'channel',
];
const TYPES = [
  'integer',
  'bigint',
  'character varying(64)',
  'text',
  'numeric(12,2)',
  'timestamp with time zone',
  'boolean',
  'date',
  'jsonb',
  'uuid',
];

const word = (n: number) => WORDS[((n % WORDS.length) + WORDS.length) % WORDS.length];

export const SCHEMAS = 10;
export const schemaOf = (i: number) => `schema_${i % SCHEMAS}`;
export const tableOf = (i: number) => `${word(i * 7)}_${word(i * 3 + 1)}_${String(i).padStart(5, '0')}`;

/** One table; `version` > 1 alters column 3's type and appends a column (a 1%-changed rerun). */
export function tableAsset(i: number, columns: number, version = 1): CatalogAsset {
  const fields: CatalogField[] = [{ name: 'id', ordinal: 1, dataType: 'bigint', nullable: false, primaryKey: true }];
  const used = new Set(['id']);
  for (let j = 1; j < columns; j++) {
    let name = `${word(i * 31 + j * 17)}_${word(i + j * 13)}`;
    if (used.has(name)) name = `${name}_${j}`;
    used.add(name);
    fields.push({
      name,
      ordinal: j + 1,
      dataType: version > 1 && j === 3 ? 'text' : TYPES[(i + j) % TYPES.length],
      nullable: j % 4 !== 0,
      default: j % 5 === 0 ? '0' : null,
      comment: j % 3 === 0 ? `The ${word(i + j)} ${word(j * 11)} of the ${word(i * 5 + j)}` : null,
    });
  }
  if (version > 1) fields.push({ name: 'added_in_v2', ordinal: columns + 1, dataType: 'text', nullable: true });
  return {
    namespace: schemaOf(i),
    name: tableOf(i),
    kind: 'table',
    comment: i % 2 === 0 ? `Holds ${word(i)} ${word(i + 3)} records` : null,
    owner: 'app',
    properties: { persistence: 'permanent', tablespace: null },
    statistics: { rows: i * 10, bytes: 8192 * (1 + (i % 50)) },
    fields,
    keys: [{ name: `${tableOf(i)}_pkey`, type: 'primary', columns: ['id'] }],
    indexes: [
      { name: `${tableOf(i)}_pkey`, columns: ['id'], unique: true, method: 'btree' },
      { name: `${tableOf(i)}_ix`, columns: [fields[1].name], unique: false, method: 'btree' },
    ],
    changeSignal: `sig-${i}-v${version}`,
  };
}

/** The full source in batches of `batchSize`, the first batch carrying the schemas. */
export function* fullBatches(
  tables: number,
  columns: number,
  batchSize: number,
  changed: (i: number) => boolean = () => false,
): Generator<CatalogBatch> {
  for (let start = 0; start < tables; start += batchSize) {
    const assets: CatalogAsset[] = [];
    for (let i = start; i < Math.min(tables, start + batchSize); i++)
      assets.push(tableAsset(i, columns, changed(i) ? 2 : 1));
    yield start === 0
      ? {
          namespaces: Array.from({ length: SCHEMAS }, (_, k) => ({ name: `schema_${k}`, kind: 'schema' as const })),
          assets,
        }
      : { assets };
  }
}

/** What an incremental connector sends: the changed tables in full, every other one as `unchanged`. */
export function* incrementalBatches(
  tables: number,
  columns: number,
  batchSize: number,
  changed: (i: number) => boolean,
): Generator<CatalogBatch> {
  for (let start = 0; start < tables; start += batchSize) {
    const assets: CatalogAsset[] = [];
    const unchanged: Array<{ namespace: string; name: string }> = [];
    for (let i = start; i < Math.min(tables, start + batchSize); i++) {
      if (changed(i)) assets.push(tableAsset(i, columns, 2));
      else unchanged.push({ namespace: schemaOf(i), name: tableOf(i) });
    }
    yield { assets, unchanged };
  }
}

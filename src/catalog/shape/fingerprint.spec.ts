import type { CatalogAsset } from '@app/connectors';
import { assetShape } from './asset-shape';
import { fingerprint } from './fingerprint';

const orders = (): CatalogAsset => ({
  namespace: 'public',
  name: 'orders',
  kind: 'table',
  comment: 'Customer orders',
  owner: 'app',
  properties: { persistence: 'permanent', tablespace: null },
  statistics: { rows: 10, bytes: 8192 },
  fields: [
    { name: 'id', ordinal: 1, dataType: 'bigint', nullable: false, primaryKey: true },
    { name: 'total', ordinal: 2, dataType: 'numeric(12,2)', nullable: true, default: '0', comment: 'Gross' },
  ],
  keys: [{ name: 'orders_pkey', type: 'primary', columns: ['id'] }],
  indexes: [{ name: 'orders_pkey', columns: ['id'], unique: true, method: 'btree' }],
  changeSignal: 'a1',
});

const fp = (a: CatalogAsset) => fingerprint(assetShape(a));

describe('fingerprint', () => {
  it('is the same for the same shape, whatever the order the connector listed things in', () => {
    const a = orders();
    const b = orders();
    b.fields.reverse();
    b.properties = { tablespace: null, persistence: 'permanent' };
    b.keys = [...b.keys!].reverse();
    expect(fp(b)).toBe(fp(a));
    expect(fp(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores statistics, owner, change signal and state-like properties', () => {
    const a = orders();
    const b = orders();
    b.statistics = { rows: 999_999, bytes: 1 };
    b.owner = 'someone_else';
    b.changeSignal = 'zz';
    b.properties = { ...b.properties, messages_ready: 42, storage_size: 1234, sample: { sampled: 10 } };
    b.fields[0].properties = { presence_ratio: 0.5, attnum: 7 };
    expect(fp(b)).toBe(fp(a));
  });

  it.each([
    ['a column type', (a: CatalogAsset) => (a.fields[1].dataType = 'numeric(14,2)')],
    ['nullability', (a: CatalogAsset) => (a.fields[1].nullable = false)],
    ['a default', (a: CatalogAsset) => (a.fields[1].default = '1')],
    ['a column comment', (a: CatalogAsset) => (a.fields[1].comment = 'Net')],
    ['the table comment', (a: CatalogAsset) => (a.comment = 'Orders')],
    ['the kind', (a: CatalogAsset) => (a.kind = 'view')],
    ['a shape property', (a: CatalogAsset) => (a.properties = { ...a.properties, persistence: 'unlogged' })],
    [
      'an added column',
      (a: CatalogAsset) => a.fields.push({ name: 'note', ordinal: 3, dataType: 'text', nullable: true }),
    ],
    ['a dropped column', (a: CatalogAsset) => a.fields.pop()],
    ['a key', (a: CatalogAsset) => a.keys!.push({ name: 'orders_total_key', type: 'unique', columns: ['total'] })],
    ['an index', (a: CatalogAsset) => (a.indexes![0].method = 'hash')],
    ['column order of a table', (a: CatalogAsset) => ((a.fields[0].ordinal = 2), (a.fields[1].ordinal = 1))],
  ])('changes with %s', (_what, mutate) => {
    const a = orders();
    const b = orders();
    mutate(b);
    expect(fp(b)).not.toBe(fp(a));
  });

  it('ignores the order of inferred fields in document-like assets', () => {
    const doc = (): CatalogAsset => ({
      namespace: 'shop',
      name: 'events',
      kind: 'collection',
      fields: [
        { name: 'a', ordinal: 1, dataType: 'string', nullable: true },
        { name: 'b', ordinal: 2, dataType: 'int', nullable: true, path: 'x.b' },
      ],
    });
    const a = doc();
    const b = doc();
    b.fields[0].ordinal = 2;
    b.fields[1].ordinal = 1;
    expect(fp(b)).toBe(fp(a));
  });
});

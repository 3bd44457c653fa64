import type { CatalogAsset, CatalogField } from '@app/connectors';
import { diffCounts, diffShapes, isEmptyDiff } from './asset-diff';
import { assetShape } from './asset-shape';

const col = (name: string, ordinal: number, dataType = 'integer', extra: Partial<CatalogField> = {}): CatalogField => ({
  name,
  ordinal,
  dataType,
  nullable: true,
  ...extra,
});

const table = (fields: CatalogField[], extra: Partial<CatalogAsset> = {}): CatalogAsset => ({
  namespace: 's',
  name: 't',
  kind: 'table',
  fields,
  keys: [],
  indexes: [],
  ...extra,
});

describe('diffShapes', () => {
  it('finds nothing between equal shapes', () => {
    const a = table([col('a', 1), col('b', 2)]);
    expect(isEmptyDiff(diffShapes(assetShape(a), assetShape(a)))).toBe(true);
  });

  it('lists an added asset with all its fields, keys and indexes', () => {
    const a = table([col('id', 1, 'bigint', { primaryKey: true, nullable: false })], {
      keys: [{ name: 'pk', type: 'primary', columns: ['id'] }],
      indexes: [{ name: 'pk', columns: ['id'], unique: true }],
    });
    const d = diffShapes(null, assetShape(a));
    expect(d.fields).toEqual({
      added: [
        {
          name: 'id',
          ordinal: 1,
          data_type: 'bigint',
          nullable: false,
          default: null,
          comment: null,
          primary_key: true,
        },
      ],
      removed: [],
      altered: [],
    });
    expect(d.keys?.added.map((k) => k.name)).toEqual(['pk']);
    expect(d.indexes?.added.map((k) => k.name)).toEqual(['pk']);
    expect(d.asset).toBeUndefined();
  });

  it('lists a removed asset with its fields as removed', () => {
    const d = diffShapes(assetShape(table([col('a', 1), col('b', 2)])), null);
    expect(d.fields?.removed.map((f) => f.name)).toEqual(['a', 'b']);
    expect(diffCounts(d)).toEqual({ fieldsAdded: 0, fieldsRemoved: 2, fieldsAltered: 0 });
  });

  it('records type, nullability, default and comment changes with old and new values', () => {
    const before = table([col('id', 1), col('amount', 2, 'integer', { default: '0', comment: 'old' })]);
    const after = table([col('id', 1), col('amount', 2, 'bigint', { nullable: false, default: '1', comment: 'new' })]);
    const d = diffShapes(assetShape(before), assetShape(after));
    expect(d.fields?.altered).toEqual([
      {
        name: 'amount',
        changes: {
          data_type: { old: 'integer', new: 'bigint' },
          nullable: { old: true, new: false },
          default: { old: '0', new: '1' },
          comment: { old: 'old', new: 'new' },
        },
      },
    ]);
    expect(diffCounts(d)).toEqual({ fieldsAdded: 0, fieldsRemoved: 0, fieldsAltered: 1 });
  });

  it('does not call the columns after a dropped one "moved"', () => {
    const before = table([col('a', 1), col('b', 2), col('c', 3), col('d', 4)]);
    const after = table([col('a', 1), col('c', 2), col('d', 3), col('e', 4, 'text')]);
    const d = diffShapes(assetShape(before), assetShape(after));
    expect(d.fields?.removed.map((f) => f.name)).toEqual(['b']);
    expect(d.fields?.added.map((f) => f.name)).toEqual(['e']);
    expect(d.fields?.altered).toEqual([]);
  });

  it('reports a moved column once, with its old and new position', () => {
    const before = table([col('a', 1), col('b', 2), col('c', 3), col('d', 4)]);
    const after = table([col('b', 1), col('c', 2), col('d', 3), col('a', 4)]);
    const d = diffShapes(assetShape(before), assetShape(after));
    expect(d.fields?.altered).toEqual([{ name: 'a', changes: { position: { old: 1, new: 4 } } }]);
  });

  it('reports table-level comment, kind and shape property changes, but not state properties', () => {
    const before = table([col('a', 1)], { comment: null, properties: { engine: 'InnoDB', messages: 1 } });
    const after = table([col('a', 1)], { comment: 'hello', kind: 'view', properties: { engine: 'Aria', messages: 2 } });
    const d = diffShapes(assetShape(before), assetShape(after));
    expect(d.asset).toEqual({
      kind: { old: 'table', new: 'view' },
      comment: { old: null, new: 'hello' },
      properties: { engine: { old: 'InnoDB', new: 'Aria' } },
    });
  });

  it('diffs keys and indexes by name', () => {
    const before = table([col('a', 1)], {
      keys: [{ name: 'u1', type: 'unique', columns: ['a'] }],
      indexes: [
        { name: 'i1', columns: ['a'], unique: false },
        { name: 'i2', columns: ['a'], unique: false },
      ],
    });
    const after = table([col('a', 1)], {
      keys: [],
      indexes: [
        { name: 'i1', columns: ['a'], unique: true },
        { name: 'i3', columns: ['a'], unique: false },
      ],
    });
    const d = diffShapes(assetShape(before), assetShape(after));
    expect(d.keys).toEqual({ added: [], removed: [{ name: 'u1', type: 'unique', columns: ['a'] }], altered: [] });
    expect(d.indexes?.added.map((i) => i.name)).toEqual(['i3']);
    expect(d.indexes?.removed.map((i) => i.name)).toEqual(['i2']);
    expect(d.indexes?.altered).toEqual([
      {
        name: 'i1',
        old: { name: 'i1', columns: ['a'], unique: false },
        new: { name: 'i1', columns: ['a'], unique: true },
      },
    ]);
    expect(d.fields).toBeUndefined();
  });

  it('identifies nested document fields by path', () => {
    const doc = (type: string): CatalogAsset => ({
      namespace: 'db',
      name: 'people',
      kind: 'collection',
      fields: [
        { name: 'city', path: 'home.city', ordinal: 1, dataType: 'string', nullable: true },
        { name: 'city', path: 'work.city', ordinal: 2, dataType: type, nullable: true },
      ],
    });
    const d = diffShapes(assetShape(doc('string')), assetShape(doc('int')));
    expect(d.fields?.altered).toEqual([
      { name: 'city', path: 'work.city', changes: { data_type: { old: 'string', new: 'int' } } },
    ]);
  });
});

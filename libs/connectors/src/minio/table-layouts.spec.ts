import { ListedObject } from './prefixes';
import { TableLayoutFinder } from './table-layouts';

const obj = (key: string): ListedObject => ({ key, size: 10, lastModified: null, etag: `e-${key}` });

function find(keys: string[]) {
  const finder = new TableLayoutFinder();
  for (const k of keys) finder.add(obj(k));
  return finder.finish();
}

describe('TableLayoutFinder', () => {
  it('recognises Iceberg, Delta Lake and Hive layouts by their folders', () => {
    const layouts = find([
      'wh/t1/metadata/v1.metadata.json',
      'wh/t1/metadata/v12.metadata.json',
      'wh/t1/metadata/version-hint.text',
      'wh/t1/data/d=1/a.parquet',
      'dl/t2/_delta_log/00000000000000000000.json',
      'dl/t2/_delta_log/00000000000000000010.checkpoint.parquet',
      'dl/t2/_delta_log/00000000000000000011.json',
      'dl/t2/p=x/a.parquet',
      'hv/t3/y=2024/m=01/a.csv',
      'hv/t3/y=2024/m=02/a.csv',
      'hv/t3/y=2025/m=01/b.csv',
      'plain/readme.txt',
    ]);
    expect(layouts.map((l) => [l.kind, l.root])).toEqual([
      ['delta', 'dl/t2/'],
      ['hive', 'hv/t3/'],
      ['iceberg', 'wh/t1/'],
    ]);
    const [delta, hive, iceberg] = layouts;
    expect(iceberg.kind === 'iceberg' && iceberg.metadata.map((m) => m.version)).toEqual([1, 12]);
    expect(iceberg.kind === 'iceberg' && iceberg.versionHint?.key).toBe('wh/t1/metadata/version-hint.text');
    expect(delta.kind === 'delta' && [delta.commits.map((c) => c.version), delta.checkpoints]).toEqual([[0, 11], 1]);
    expect(hive.kind === 'hive' && [hive.partitionColumns, hive.partitions.length, hive.values]).toEqual([
      ['y', 'm'],
      3,
      { y: ['2024', '2025'], m: ['01', '02'] },
    ]);
  });

  it('keeps only the partition keys every object shares, and ignores datasets at the bucket root', () => {
    const [hive, ...rest] = find(['s/a=1/b=1/x.csv', 's/a=2/y.csv', 'k=v/root.csv']);
    expect(rest).toEqual([]);
    expect(hive.kind === 'hive' && [hive.partitionColumns, hive.partitions]).toEqual([['a'], ['a=1/', 'a=2/']]);
  });

  it('changes the fingerprint when an object of the table changes', () => {
    const before = find(['t/_delta_log/00000000000000000000.json'])[0].fingerprint;
    const after = find(['t/_delta_log/00000000000000000000.json', 't/_delta_log/00000000000000000001.json'])[0]
      .fingerprint;
    expect(after).not.toBe(before);
  });
});

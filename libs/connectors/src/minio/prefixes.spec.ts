import { formatOf, PrefixAggregator } from './prefixes';

const obj = (key: string, size: number, day: number) => ({
  key,
  size,
  lastModified: new Date(Date.UTC(2024, 0, day)),
  etag: `e-${key}`,
});

describe('minio prefix aggregation', () => {
  it('names formats by extension, compression included', () => {
    expect(formatOf('a/b/data.csv')).toBe('csv');
    expect(formatOf('x.CSV.GZ')).toBe('csv.gz');
    expect(formatOf('logs/app.log.1')).toBe('1');
    expect(formatOf('README')).toBe('(none)');
    expect(formatOf('dir/.hidden')).toBe('(none)');
    expect(formatOf('part-0001.snappy.parquet')).toBe('parquet');
  });

  it('rolls objects up into the bucket and prefixes up to the depth', () => {
    const agg = new PrefixAggregator(2);
    agg.add(obj('root.txt', 5, 1));
    agg.add(obj('logs/2024/01/a.jsonl', 100, 3));
    agg.add(obj('logs/2024/02/b.jsonl', 50, 9));
    agg.add(obj('logs/readme.md', 10, 2));
    agg.add(obj('sales/q1.csv', 1000, 4));
    agg.add(obj('sales/', 0, 4));
    const { bucket, prefixes } = agg.finish();
    expect(bucket).toMatchObject({ prefix: '', objects: 5, bytes: 1165, formats: { txt: 1, jsonl: 2, md: 1, csv: 1 } });
    expect(bucket.lastModified?.toISOString()).toBe('2024-01-09T00:00:00.000Z');
    expect(prefixes.map((p) => [p.prefix, p.depth, p.objects, p.bytes])).toEqual([
      ['logs/', 1, 3, 160],
      ['logs/2024/', 2, 2, 150],
      ['sales/', 1, 1, 1000],
    ]);
    expect(prefixes[0]).toMatchObject({
      formats: { jsonl: 2, md: 1 },
      sampleKey: 'logs/2024/01/a.jsonl',
      sampleSize: 100,
    });
    expect(prefixes[2].sampleKey).toBe('sales/q1.csv');
  });

  it('keeps buckets only at depth 0 and fingerprints content', () => {
    const a = new PrefixAggregator(0);
    a.add(obj('x/y.csv', 1, 1));
    expect(a.finish().prefixes).toEqual([]);
    const fp = (size: number) => {
      const g = new PrefixAggregator(1);
      g.add(obj('x/y.csv', size, 1));
      return g.finish().prefixes[0].fingerprint;
    };
    expect(fp(1)).toBe(fp(1));
    expect(fp(1)).not.toBe(fp(2));
  });
});

import { HiveExecutor } from './executor';
import { assetKey } from '../core/scope';
import { CatalogBatch, CollectOptions } from '../core/types';
import { Row } from '../sql-shared/row-values';
import { collectHive, MAX_LISTED_PARTITIONS, partitionValues } from './collect';

const pad = (s: string | null) => (s === null ? null : s.padEnd(30));
const describe_ = (rows: Array<[string, string | null, string | null]>): Row[] =>
  rows.map(([c, d, m]) => ({ col_name: pad(c), data_type: pad(d), comment: pad(m) }));

/** DESCRIBE FORMATTED of a table partitioned by two columns, as HiveServer2 answers it. */
const EVENTS = describe_([
  ['# col_name', 'data_type', 'comment'],
  ['id', 'bigint', ''],
  ['', null, null],
  ['# Partition Information', null, null],
  ['# col_name', 'data_type', 'comment'],
  ['dt', 'string', ''],
  ['country', 'string', ''],
  ['', null, null],
  ['# Detailed Table Information', null, null],
  ['Table Type:', 'MANAGED_TABLE', null],
  ['Table Parameters:', null, null],
  ['', 'transient_lastDdlTime', '1717408800'],
]);

/** SHOW PARTITIONS answers a result set of one `partition` column, values escaped as the metastore stores them. */
class FakeHive implements HiveExecutor {
  readonly calls: string[] = [];
  constructor(public partitions: string[]) {}
  async schemas(): Promise<Row[]> {
    return [{ TABLE_SCHEM: 'web', TABLE_CATALOG: '' }];
  }
  async tables(): Promise<Row[]> {
    return [{ TABLE_CAT: '', TABLE_SCHEM: 'web', TABLE_NAME: 'events', TABLE_TYPE: 'TABLE', REMARKS: '' }];
  }
  async statement(sql: string): Promise<Row[]> {
    this.calls.push(sql);
    if (sql.startsWith('SHOW PARTITIONS')) return this.partitions.map((partition) => ({ partition }));
    return EVENTS;
  }
  async serverInfo(): Promise<{ name: string; version: string }> {
    return { name: 'Apache Hive', version: '3.1.3' };
  }
  async close(): Promise<void> {}
}

async function collect(fake: FakeHive, partial: Partial<CollectOptions> = {}): Promise<CatalogBatch[]> {
  const out: CatalogBatch[] = [];
  const options: CollectOptions = { mode: 'full', scope: {}, batchSize: 10, signal: new AbortController().signal };
  for await (const b of collectHive(fake, { ...options, ...partial }, undefined)) out.push(b);
  return out;
}

describe('Hive partition values (driver boundary)', () => {
  it('reads SHOW PARTITIONS into values per partition column, unescaped, the default partition as null', async () => {
    const fake = new FakeHive([
      'dt=2024-06-01/country=US',
      'dt=2024-06-01/country=a%2Fb%3Dc',
      'dt=2024-06-02/country=__HIVE_DEFAULT_PARTITION__',
    ]);
    const [asset] = (await collect(fake)).flatMap((b) => b.assets);
    expect(fake.calls).toEqual(['DESCRIBE FORMATTED `web`.`events`', 'SHOW PARTITIONS `web`.`events`']);
    expect(asset.properties).toMatchObject({
      partition_columns: ['dt', 'country'],
      partition_count: 3,
      partitions: [
        { dt: '2024-06-01', country: 'US' },
        { dt: '2024-06-01', country: 'a/b=c' },
        { dt: '2024-06-02', country: null },
      ],
    });
    expect(partitionValues('k=v')).toEqual({ k: 'v' });
  });

  it('counts every partition but lists at most MAX_LISTED_PARTITIONS', async () => {
    const many = Array.from({ length: MAX_LISTED_PARTITIONS + 5 }, (_, i) => `dt=d${i}/country=X`);
    const [asset] = (await collect(new FakeHive(many))).flatMap((b) => b.assets);
    expect(asset.properties!.partition_count).toBe(MAX_LISTED_PARTITIONS + 5);
    expect(asset.properties!.partitions).toHaveLength(MAX_LISTED_PARTITIONS);
  });

  it('re-reads a table in an incremental run when a partition was added, though transient_lastDdlTime stayed', async () => {
    const fake = new FakeHive(['dt=2024-06-01/country=US']);
    const full = (await collect(fake)).flatMap((b) => b.assets);
    const previousSignals = new Map(full.map((a) => [assetKey(a.namespace, a.name), a.changeSignal!]));
    expect((await collect(fake, { mode: 'incremental', previousSignals })).flatMap((b) => b.assets)).toEqual([]);
    fake.partitions = [...fake.partitions, 'dt=2024-06-02/country=US'];
    const run = (await collect(fake, { mode: 'incremental', previousSignals })).flatMap((b) => b.assets);
    expect(run.map((a) => a.properties!.partition_count)).toEqual([2]);
  });
});

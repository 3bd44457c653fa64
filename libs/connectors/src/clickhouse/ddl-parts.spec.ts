import { checkConstraints, materializedViewTarget } from './ddl-parts';

describe('ClickHouse DDL parts', () => {
  it('finds the target of a materialized view written with TO, quoted or not', () => {
    expect(materializedViewTarget('CREATE MATERIALIZED VIEW db.mv TO db.target (`d` Date) AS SELECT 1')).toEqual({
      database: 'db',
      name: 'target',
    });
    expect(
      materializedViewTarget("CREATE MATERIALIZED VIEW `my db`.`m v` UUID 'abc' TO `my db`.`t\\`x` AS SELECT 1"),
    ).toEqual({ database: 'my db', name: 't`x' });
    expect(materializedViewTarget('CREATE MATERIALIZED VIEW mv TO target AS SELECT 1')).toEqual({ name: 'target' });
    expect(materializedViewTarget('CREATE MATERIALIZED VIEW db.mv ENGINE = Memory AS SELECT 1')).toBeUndefined();
    expect(materializedViewTarget('CREATE TABLE db.t (x UInt8) ENGINE = Memory')).toBeUndefined();
  });

  it('reads CHECK constraints as the server prints them, skipping ASSUME ones and commas inside expressions', () => {
    const ddl =
      "CREATE TABLE db.t (`id` UInt64, `s` String DEFAULT 'a,b', CONSTRAINT positive CHECK id > 0, " +
      "CONSTRAINT `in list` CHECK s IN ('a,b', 'c'), CONSTRAINT hint ASSUME id < 100) ENGINE = MergeTree ORDER BY id";
    expect(checkConstraints(ddl)).toEqual([
      { name: 'positive', type: 'check', columns: [], definition: 'CHECK id > 0' },
      { name: 'in list', type: 'check', columns: [], definition: "CHECK s IN ('a,b', 'c')" },
    ]);
    expect(checkConstraints('')).toEqual([]);
  });
});

import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, QueryRunner } from 'typeorm';

/**
 * better-sqlite3 gives TypeORM one connection, shared by every caller. Left alone, two flows that
 * open transactions at the same time nest into one (the second becomes a SAVEPOINT of the first),
 * and statements of unrelated requests land inside whichever transaction is open — so one
 * rollback can undo another flow's committed work.
 *
 * This makes transactions exclusive: a transaction holds the connection from BEGIN to COMMIT or
 * ROLLBACK, and statements from any other flow wait until it ends. Flows are told apart with
 * AsyncLocalStorage. Only the embedded store needs this; PostgreSQL and MySQL use a pool.
 */
export function serializeSqliteTransactions(dataSource: DataSource): void {
  const runner = dataSource.driver.createQueryRunner('master') as QueryRunner & { transactionDepth: number };
  const flows = new AsyncLocalStorage<symbol>();
  let holder: symbol | null = null;
  let waiting: Array<() => void> = [];

  const released = () => new Promise<void>((resolve) => waiting.push(resolve));
  const release = () => {
    holder = null;
    const wake = waiting;
    waiting = [];
    for (const w of wake) w();
  };
  const waitTurn = async (me: symbol | undefined) => {
    while (holder !== null && holder !== me) await released();
  };
  // Checks and takes the connection in one step, so two woken flows cannot both take it.
  const acquire = async (me: symbol) => {
    while (holder !== null && holder !== me) await released();
    holder = me;
  };

  const query = runner.query.bind(runner);
  runner.query = (async (...args: Parameters<QueryRunner['query']>) => {
    await waitTurn(flows.getStore());
    return query(...args);
  }) as QueryRunner['query'];

  const start = runner.startTransaction.bind(runner);
  runner.startTransaction = async (isolation) => {
    let me = flows.getStore();
    if (!me || (holder !== me && runner.transactionDepth === 0)) {
      // A transaction opened outside manager.transaction (e.g. repository.save): this flow
      // becomes its own owner from here on.
      me = Symbol('sqlite-transaction');
      flows.enterWith(me);
    }
    await acquire(me);
    try {
      await start(isolation);
    } catch (err) {
      if (runner.transactionDepth === 0) release();
      throw err;
    }
  };

  for (const method of ['commitTransaction', 'rollbackTransaction'] as const) {
    const end = runner[method].bind(runner);
    runner[method] = async () => {
      try {
        await end();
      } finally {
        if (runner.transactionDepth === 0 && holder === flows.getStore()) release();
      }
    };
  }

  // manager.transaction(cb): give the whole callback one flow identity before BEGIN is sent.
  const managerTransaction = dataSource.manager.transaction.bind(dataSource.manager) as (
    ...a: unknown[]
  ) => Promise<unknown>;
  (dataSource.manager as { transaction: unknown }).transaction = (...args: unknown[]) => {
    const mine = flows.getStore();
    const inOwnTransaction = mine !== undefined && holder === mine;
    return inOwnTransaction
      ? managerTransaction(...args)
      : flows.run(Symbol('sqlite-transaction'), () => managerTransaction(...args));
  };
}

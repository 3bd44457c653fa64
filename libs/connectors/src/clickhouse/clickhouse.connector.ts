import { classified, classifiedStream } from '../core/classify';
import { runDiagnostics } from '../core/diagnostics';
import { LazyClient } from '../core/lazy-client';
import {
  AssetProfile,
  CatalogBatch,
  CollectOptions,
  ConnectContext,
  Connector,
  ProfileOptions,
  ProfileTarget,
  TestResult,
} from '../core/types';
import { numeric, textOr } from '../sql-shared/row-values';
import { collectClickHouse } from './collect';
import { ClickHouseSettings } from './config';
import { classifyClickHouseError } from './errors';
import { ClickHouseExecutor, openHttpExecutor } from './executor';
import { profileClickHouse } from './profile';
import { chString } from './sql-literal';

/** Opens an executor for the (already policy-checked) address; replaced in tests. */
export type ClickHouseExecutorFactory = (
  settings: ClickHouseSettings,
  checkedAddress: string,
  sessionDatabase?: string,
) => ClickHouseExecutor;

export class ClickHouseConnector implements Connector {
  private readonly executor = new LazyClient<ClickHouseExecutor>(
    async () => this.open(this.settings, (await this.context.guardAddress(this.settings.host))[0]),
    (exec) => exec.close(),
  );

  constructor(
    private readonly settings: ClickHouseSettings,
    private readonly context: ConnectContext,
    private readonly open: ClickHouseExecutorFactory = openHttpExecutor,
  ) {}

  async test(signal: AbortSignal): Promise<TestResult> {
    const opened: ClickHouseExecutor[] = [];
    const probe = async (database?: string) => {
      const [address] = await this.context.guardAddress(this.settings.host);
      const exec = this.open(this.settings, address, database);
      opened.push(exec);
      return exec;
    };
    try {
      return await runDiagnostics({
        host: this.settings.host,
        port: this.settings.port,
        timeoutMs: this.settings.timeoutMs,
        signal,
        guardAddress: this.context.guardAddress,
        tls: this.settings.https
          ? { mode: 'direct', options: { rejectUnauthorized: true, ca: this.settings.sslCa } }
          : undefined,
        authenticate: async () => {
          const [row] = await (
            await probe()
          ).rows('SELECT version() AS version, timezone() AS timezone, uptime() AS uptime', signal);
          const version = textOr(row ?? {}, 'version');
          return { serverInfo: `ClickHouse ${version} (timezone ${textOr(row ?? {}, 'timezone')})`, version };
        },
        readCatalog: async () => {
          const exec = opened[0];
          const database = this.settings.database;
          if (database !== undefined) {
            // Using the database as the session's default is checked against the account's rights
            // (DATABASE_ACCESS_DENIED) and its existence (UNKNOWN_DATABASE).
            await (await probe(database)).rows('SELECT currentDatabase() AS db', signal);
          }
          const where =
            database === undefined
              ? "database NOT IN ('system', 'INFORMATION_SCHEMA', 'information_schema')"
              : `database = ${chString(database)}`;
          const [counts] = await exec.rows(
            `SELECT count() AS tables, uniqExact(database) AS databases FROM system.tables WHERE ${where}`,
            signal,
          );
          return `${numeric(counts ?? {}, 'tables') ?? 0} table(s) visible in ${numeric(counts ?? {}, 'databases') ?? 0} database(s)`;
        },
        classify: (err) => classifyClickHouseError(err),
      });
    } finally {
      await Promise.all(opened.map((e) => e.close().catch(() => undefined)));
    }
  }

  collect(options: CollectOptions): AsyncIterable<CatalogBatch> {
    return classifiedStream(classifyClickHouseError, async () =>
      collectClickHouse(await this.executor.get(), options, this.settings.database),
    );
  }

  profile(target: ProfileTarget, options: ProfileOptions): Promise<AssetProfile> {
    return classified(classifyClickHouseError, async () =>
      profileClickHouse(await this.executor.get(), target, options),
    );
  }

  close(): Promise<void> {
    return this.executor.close();
  }
}

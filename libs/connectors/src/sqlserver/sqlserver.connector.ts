import { classified, classifiedStream } from '../core/classify';
import { DiagnosticPlan, runDiagnostics } from '../core/diagnostics';
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
import { flag, numeric, text, textOr } from '../sql-shared/row-values';
import { databasesQuery } from './catalog-sql';
import { collectSqlServer } from './collect';
import { SqlServerSettings } from './config';
import { classifySqlServerError } from './errors';
import { openSqlServerPool, SqlServerExecutor } from './executor';
import { profileSqlServer } from './profile';
import { lookupInstancePort } from './sql-browser';

/** Opens an executor for the (already policy-checked) address and port; replaced in tests. */
export type SqlServerExecutorFactory = (
  settings: SqlServerSettings,
  checkedAddress: string,
  port: number,
) => SqlServerExecutor;
/** Finds a named instance's TCP port; replaced in tests. */
export type InstancePortLookup = (address: string, instanceName: string, timeoutMs: number) => Promise<number>;

export const IDENTITY_SQL =
  "SELECT CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS product_version, CAST(SERVERPROPERTY('Edition') AS nvarchar(128)) AS edition, " +
  '@@SERVERNAME AS server_name, SUSER_SNAME() AS login_name';
export const CATALOG_PROBE_SQL =
  "SELECT COUNT(*) AS tables, HAS_PERMS_BY_NAME(NULL, 'DATABASE', 'VIEW DEFINITION') AS view_definition FROM sys.objects WHERE type IN ('U', 'V') AND is_ms_shipped = 0";

export class SqlServerConnector implements Connector {
  private readonly executor = new LazyClient<SqlServerExecutor>(
    async () => {
      const { address, port } = await this.endpoint();
      return this.open(this.settings, address, port);
    },
    (exec) => exec.close(),
  );

  constructor(
    private readonly settings: SqlServerSettings,
    private readonly context: ConnectContext,
    private readonly open: SqlServerExecutorFactory = openSqlServerPool,
    private readonly lookupPort: InstancePortLookup = lookupInstancePort,
  ) {}

  /** The checked address and the port to use (a named instance's port comes from the SQL Server Browser). */
  private async endpoint(): Promise<{ addresses: string[]; address: string; port: number }> {
    const addresses = await this.context.guardAddress(this.settings.host);
    const address = addresses[0];
    const port = this.settings.instanceName
      ? await this.lookupPort(address, this.settings.instanceName, this.settings.timeoutMs)
      : this.settings.port;
    return { addresses, address, port };
  }

  async test(signal: AbortSignal): Promise<TestResult> {
    let exec: SqlServerExecutor | undefined;
    let endpoint: { addresses: string[]; address: string; port: number } | undefined;
    const plan: DiagnosticPlan = {
      host: this.settings.host,
      port: this.settings.port,
      timeoutMs: this.settings.timeoutMs,
      signal,
      // Resolving includes asking the Browser for a named instance's port, which the TCP step then opens.
      guardAddress: async () => {
        endpoint = await this.endpoint();
        plan.port = endpoint.port;
        return endpoint.addresses;
      },
      tls: this.settings.encrypt ? { mode: 'negotiated' } : undefined,
      authenticate: async () => {
        exec = this.open(this.settings, endpoint!.address, endpoint!.port);
        const [row] = await exec.query(null, IDENTITY_SQL, {}, signal);
        const r = row ?? {};
        const version = textOr(r, 'product_version');
        return {
          serverInfo: `Microsoft SQL Server ${version} ${textOr(r, 'edition')} (${textOr(r, 'server_name')}), login ${textOr(r, 'login_name')}`,
          version,
        };
      },
      readCatalog: async () => {
        if (this.settings.database === undefined) {
          const q = databasesQuery(undefined);
          const dbs = await exec!.query(null, q.sql, q.params, signal);
          return `${dbs.length} database(s) the login may open`;
        }
        const [row] = await exec!.query(this.settings.database, CATALOG_PROBE_SQL, {}, signal);
        const r = row ?? {};
        const viewDefinition = flag(r, 'view_definition')
          ? 'with VIEW DEFINITION'
          : 'without VIEW DEFINITION (only objects it has rights on are visible)';
        return `${numeric(r, 'tables') ?? 0} table(s) and view(s) visible in ${this.settings.database}, ${viewDefinition}`;
      },
      classify: (err) => classifySqlServerError(err),
    };
    try {
      return await runDiagnostics(plan);
    } finally {
      await exec?.close().catch(() => undefined);
    }
  }

  collect(options: CollectOptions): AsyncIterable<CatalogBatch> {
    return classifiedStream(classifySqlServerError, async () =>
      collectSqlServer(await this.executor.get(), options, this.settings.database),
    );
  }

  profile(target: ProfileTarget, options: ProfileOptions): Promise<AssetProfile> {
    return classified(classifySqlServerError, async () => {
      const exec = await this.executor.get();
      const knownDatabases = async () => {
        const q = databasesQuery(this.settings.database);
        return (await exec.query(null, q.sql, q.params, options.signal)).map((r) => text(r, 'name') ?? '');
      };
      return profileSqlServer(exec, target, options, knownDatabases);
    });
  }

  close(): Promise<void> {
    return this.executor.close();
  }
}

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
import { collectOracle } from './collect';
import { OracleSettings } from './config';
import { classifyOracleError } from './errors';
import { openOraclePool, OracleExecutor } from './executor';
import { profileOracle } from './profile';

/** Opens an executor for the (already policy-checked) address; replaced in tests. */
export type OracleExecutorFactory = (settings: OracleSettings, checkedAddress: string) => OracleExecutor;

export const IDENTITY_SQL =
  "SELECT SYS_CONTEXT('USERENV', 'DB_NAME') AS DB_NAME, SYS_CONTEXT('USERENV', 'SERVICE_NAME') AS SERVICE_NAME, USER AS USERNAME FROM DUAL";
export const CATALOG_PROBE_SQL = 'SELECT COUNT(*) AS TABLES FROM ALL_TABLES';

export class OracleConnector implements Connector {
  private readonly executor = new LazyClient<OracleExecutor>(
    async () => this.open(this.settings, (await this.context.guardAddress(this.settings.host))[0]),
    (exec) => exec.close(),
  );

  constructor(
    private readonly settings: OracleSettings,
    private readonly context: ConnectContext,
    private readonly open: OracleExecutorFactory = openOraclePool,
  ) {}

  async test(signal: AbortSignal): Promise<TestResult> {
    let exec: OracleExecutor | undefined;
    try {
      return await runDiagnostics({
        host: this.settings.host,
        port: this.settings.port,
        timeoutMs: this.settings.timeoutMs,
        signal,
        guardAddress: this.context.guardAddress,
        tls: this.settings.tcps ? { mode: 'direct', options: { rejectUnauthorized: true } } : undefined,
        authenticate: async () => {
          const [address] = await this.context.guardAddress(this.settings.host);
          exec = this.open(this.settings, address);
          const version = await exec.serverVersion(signal);
          const [who] = await exec.query(IDENTITY_SQL, {}, signal);
          const w = who ?? {};
          return {
            serverInfo: `Oracle Database ${version} (database ${textOr(w, 'DB_NAME')}, service ${textOr(w, 'SERVICE_NAME')}, user ${textOr(w, 'USERNAME')})`,
            version,
          };
        },
        readCatalog: async () => {
          const [row] = await exec!.query(CATALOG_PROBE_SQL, {}, signal);
          return `${numeric(row ?? {}, 'TABLES') ?? 0} table(s) visible to the account`;
        },
        classify: (err) => classifyOracleError(err),
      });
    } finally {
      await exec?.close().catch(() => undefined);
    }
  }

  collect(options: CollectOptions): AsyncIterable<CatalogBatch> {
    return classifiedStream(classifyOracleError, async () =>
      collectOracle(await this.executor.get(), options, this.settings.includeSystemSchemas),
    );
  }

  profile(target: ProfileTarget, options: ProfileOptions): Promise<AssetProfile> {
    return classified(classifyOracleError, async () => profileOracle(await this.executor.get(), target, options));
  }

  close(): Promise<void> {
    return this.executor.close();
  }
}

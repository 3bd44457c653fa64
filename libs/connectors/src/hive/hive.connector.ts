import { classified, classifiedStream } from '../core/classify';
import { runDiagnostics, withDeadline } from '../core/diagnostics';
import { LazyClient } from '../core/lazy-client';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
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
import { collectHive, hiveIdent } from './collect';
import { HiveSettings } from './config';
import { classifyHiveError } from './errors';
import { HiveExecutor, openHiveSession } from './executor';
import { profileHive } from './profile';

/** Opens a session on the (already policy-checked) address; replaced in tests. */
export type HiveExecutorFactory = (settings: HiveSettings, checkedAddress: string) => Promise<HiveExecutor>;

export class HiveConnector implements Connector {
  private readonly executor = new LazyClient<HiveExecutor>(
    (signal) => this.openSession(signal!),
    (exec) => exec.close(),
  );

  constructor(
    private readonly settings: HiveSettings,
    private readonly context: ConnectContext,
    private readonly open: HiveExecutorFactory = openHiveSession,
  ) {}

  /**
   * Opens a session within `deadlineMs`. A HiveServer2 whose auth or transport does not match
   * the client's often says nothing at all, so a timeout here names that as the likely cause.
   */
  private async openSession(signal: AbortSignal, deadlineMs = this.settings.timeoutMs): Promise<HiveExecutor> {
    const [address] = await this.context.guardAddress(this.settings.host);
    const opening = this.open(this.settings, address);
    return withDeadline(opening, deadlineMs, signal, 'Opening the HiveServer2 session').catch((err: unknown) => {
      // A session that opens after the deadline is closed rather than leaked.
      opening.then((late) => late.close()).catch(() => undefined);
      if (err instanceof ConnectorError && err.code === ConnectorErrorCode.Timeout) {
        throw new ConnectorError(
          ConnectorErrorCode.Timeout,
          `HiveServer2 did not complete the session handshake within ${deadlineMs} ms`,
          `Check that auth (${this.settings.auth}) and transport (${this.settings.transport}) match hive.server2.authentication and hive.server2.transport.mode: a SASL client talking to a NOSASL server, or binary to http, gets no answer. Otherwise raise the timeout.`,
        );
      }
      throw err;
    });
  }

  async test(signal: AbortSignal): Promise<TestResult> {
    let exec: HiveExecutor | undefined;
    try {
      return await runDiagnostics({
        host: this.settings.host,
        port: this.settings.port,
        timeoutMs: this.settings.timeoutMs,
        signal,
        guardAddress: this.context.guardAddress,
        tls: this.settings.ssl ? { mode: 'direct', options: { rejectUnauthorized: true } } : undefined,
        authenticate: async () => {
          // Slightly inside the step's own deadline, so the handshake advice wins over a generic timeout.
          exec = await this.openSession(signal, Math.max(1, this.settings.timeoutMs - 250));
          const info = await exec.serverInfo(signal);
          return {
            serverInfo: `${info.name} ${info.version} (HiveServer2, ${this.settings.transport} transport, ${this.settings.auth})`,
            version: info.version,
          };
        },
        readCatalog: async () => {
          const database = this.settings.database;
          if (database !== undefined) {
            // SHOW TABLES runs with the account's authorization, unlike the metadata calls.
            const tables = await exec!.statement(`SHOW TABLES IN ${hiveIdent(database)}`, signal);
            return `${tables.length} table(s) in ${database}`;
          }
          const schemas = await exec!.schemas('%', signal);
          return `${schemas.length} database(s) visible`;
        },
        classify: (err) => classifyHiveError(err),
      });
    } finally {
      await exec?.close().catch(() => undefined);
    }
  }

  collect(options: CollectOptions): AsyncIterable<CatalogBatch> {
    return classifiedStream(classifyHiveError, async () =>
      collectHive(await this.executor.get(options.signal), options, this.settings.database),
    );
  }

  profile(target: ProfileTarget, options: ProfileOptions): Promise<AssetProfile> {
    return classified(classifyHiveError, async () =>
      profileHive(await this.executor.get(options.signal), target, options),
    );
  }

  close(): Promise<void> {
    return this.executor.close();
  }
}

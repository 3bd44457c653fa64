import { auth, connections, HiveClient, HiveUtils, thrift } from 'hive-driver';
import type IHiveSession from 'hive-driver/dist/contracts/IHiveSession';
import type IOperation from 'hive-driver/dist/contracts/IOperation';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { Row } from '../sql-shared/row-values';
import { HiveSettings } from './config';

/**
 * The seam between the connector and hive-driver: HiveServer2's metadata calls (GetSchemas,
 * GetTables, with JDBC-style `%`/`_` patterns), statements, and GetInfo. Rows come back as objects
 * keyed by result-set column name. Tests replace it with a fake answering like HiveServer2.
 */
export interface HiveExecutor {
  schemas(schemaPattern: string, signal: AbortSignal): Promise<Row[]>;
  tables(schemaPattern: string, tablePattern: string, signal: AbortSignal): Promise<Row[]>;
  statement(sql: string, signal: AbortSignal): Promise<Row[]>;
  /** CLI_DBMS_NAME and CLI_DBMS_VER from GetInfo. */
  serverInfo(signal: AbortSignal): Promise<{ name: string; version: string }>;
  close(): Promise<void>;
}

/** The thrift-generated type tables; hive-driver declares them untyped. */
const types = thrift.TCLIService_types as {
  TProtocolVersion: { HIVE_CLI_SERVICE_PROTOCOL_V10: number };
  TGetInfoType: { CLI_DBMS_NAME: number; CLI_DBMS_VER: number };
};

function authProvider(settings: HiveSettings) {
  const credentials = { username: settings.username ?? 'anonymous', password: settings.password ?? 'anonymous' };
  switch (settings.auth) {
    case 'NOSASL':
      return new auth.NoSaslAuthentication();
    case 'KERBEROS':
      throw new ConnectorError(
        ConnectorErrorCode.Unsupported,
        'Kerberos authentication is not supported',
        'Use LDAP or CUSTOM authentication on HiveServer2 for this account.',
      );
    default:
      return settings.transport === 'http'
        ? new auth.PlainHttpAuthentication(credentials)
        : new auth.PlainTcpAuthentication(credentials);
  }
}

/**
 * One HiveServer2 session over binary or HTTP Thrift. HiveServer2 has no set-based catalog: the
 * metadata calls list schemas and tables in bulk, and each table's storage and parameters need a
 * statement of its own, so calls run one after another on the session.
 */
export async function openHiveSession(settings: HiveSettings, checkedAddress: string): Promise<HiveExecutor> {
  const client = new HiveClient(thrift.TCLIService, thrift.TCLIService_types);
  // The Thrift connection reports a refused, reset or closed socket as events, while calls in
  // flight would wait for ever: every call races against this promise so it fails at once instead.
  const lost = new Promise<never>((_resolve, reject) => {
    client.on('error', (err: unknown) => reject(err));
    client.on('close', () => reject(new Error('HiveServer2 connection is closed')));
  });
  lost.catch(() => undefined);
  const guarded = <T>(call: Promise<T>): Promise<T> => Promise.race([call, lost]);
  const http = settings.transport === 'http';
  await guarded(
    client.connect(
      {
        host: settings.ssl ? settings.host : checkedAddress,
        port: settings.port,
        options: {
          connect_timeout: settings.timeoutMs,
          timeout: settings.timeoutMs,
          ...(http
            ? {
                path: `/${settings.httpPath.replace(/^\//, '')}`,
                https: settings.ssl,
                nodeOptions: settings.ssl ? { rejectUnauthorized: true } : {},
              }
            : { ssl: settings.ssl }),
        },
      },
      http ? new connections.HttpConnection() : new connections.TcpConnection(),
      authProvider(settings),
    ),
  );
  const session: IHiveSession = await guarded(
    client.openSession({
      client_protocol: types.TProtocolVersion.HIVE_CLI_SERVICE_PROTOCOL_V10,
      ...(settings.username ? { username: settings.username, password: settings.password ?? '' } : {}),
    }),
  );
  const utils = new HiveUtils(thrift.TCLIService_types);

  async function rowsOf(operation: IOperation, signal: AbortSignal): Promise<Row[]> {
    const onAbort = () => void operation.cancel().catch(() => undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await guarded(utils.waitUntilReady(operation, false, () => undefined));
      await guarded(utils.fetchAll(operation));
      return utils.getResult(operation).getValue() as Row[];
    } finally {
      signal.removeEventListener('abort', onAbort);
      await operation.close().catch(() => undefined);
    }
  }

  return {
    schemas: async (schemaName, signal) => rowsOf(await guarded(session.getSchemas({ schemaName })), signal),
    tables: async (schemaName, tableName, signal) =>
      rowsOf(await guarded(session.getTables({ schemaName, tableName })), signal),
    statement: async (sql, signal) => rowsOf(await guarded(session.executeStatement(sql, { runAsync: true })), signal),
    serverInfo: async () => {
      const [name, version] = await guarded(
        Promise.all([
          session.getInfo(types.TGetInfoType.CLI_DBMS_NAME),
          session.getInfo(types.TGetInfoType.CLI_DBMS_VER),
        ]),
      );
      return { name: String(name.getValue() ?? 'Apache Hive'), version: String(version.getValue() ?? '') };
    },
    close: async () => {
      await session.close().catch(() => undefined);
      client.close();
    },
  };
}

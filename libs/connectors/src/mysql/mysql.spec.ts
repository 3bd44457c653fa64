import { validateConfig, withDefaults } from '../core/config-spec';
import { ConnectorErrorCode } from '../core/errors';
import { schemataStatement, tableNamesStatement } from './catalog-sql';
import { mysqlConfigSpec } from './config';
import { classifyMysqlError } from './errors';
import { describeMysqlServer, sessionSetup } from './flavor';
import { decodeDictionaryName, dictionaryName } from './innodb-dictionary';

// Errors shaped as mysql2 raises them: server errors carry errno, code and sqlState.
const serverError = (errno: number, code: string, message: string) => Object.assign(new Error(message), { errno, code, sqlState: '28000' });

describe('MySQL error classification', () => {
  it.each([
    [1045, 'ER_ACCESS_DENIED_ERROR', "Access denied for user 'app'@'10.0.0.5' (using password: YES)", ConnectorErrorCode.AuthFailed, /wrong user name or password/],
    [1130, 'ER_HOST_NOT_PRIVILEGED', "Host '10.0.0.5' is not allowed to connect to this MariaDB server", ConnectorErrorCode.AuthFailed, /from this host/],
    [1044, 'ER_DBACCESS_DENIED_ERROR', "Access denied for user 'app'@'%' to database 'sales'", ConnectorErrorCode.PermissionDenied, /privilege/],
    [1142, 'ER_TABLEACCESS_DENIED_ERROR', "SELECT command denied to user 'app'@'%' for table 'secrets'", ConnectorErrorCode.PermissionDenied, /privilege/],
    [1227, 'ER_SPECIFIC_ACCESS_DENIED_ERROR', 'Access denied; you need (at least one of) the PROCESS privilege(s) for this operation', ConnectorErrorCode.PermissionDenied, /PROCESS/],
    [1049, 'ER_BAD_DB_ERROR', "Unknown database 'nope'", ConnectorErrorCode.InvalidConfig, /database name/],
    [1969, 'ER_STATEMENT_TIMEOUT', 'Query execution was interrupted (max_statement_time exceeded)', ConnectorErrorCode.Timeout, /timeout/],
    [3024, 'ER_QUERY_TIMEOUT', 'Query execution was interrupted, maximum statement execution time exceeded', ConnectorErrorCode.Timeout, /timeout/],
    [1040, 'ER_CON_COUNT_ERROR', 'Too many connections', ConnectorErrorCode.Unreachable, /max_conns/],
    [1146, 'ER_NO_SUCH_TABLE', "Table 'x.y' doesn't exist", ConnectorErrorCode.Protocol, undefined],
  ])('maps errno %i', (errno, code, message, expected, hint) => {
    const error = classifyMysqlError(serverError(errno, code, message));
    expect(error.code).toBe(expected);
    expect(error.message).toBe(message);
    if (hint) expect(error.hint).toMatch(hint);
  });

  it('maps socket, TLS and timeout errors from the driver', () => {
    expect(classifyMysqlError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).code).toBe(ConnectorErrorCode.Unreachable);
    expect(classifyMysqlError(Object.assign(new Error('Server does not support secure connection'), { code: 'HANDSHAKE_NO_SSL_SUPPORT' })).code).toBe(ConnectorErrorCode.Tls);
    expect(classifyMysqlError(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })).code).toBe(ConnectorErrorCode.Tls);
    expect(classifyMysqlError(Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' })).code).toBe(ConnectorErrorCode.Timeout);
  });
});

describe('MySQL-protocol servers', () => {
  it('tells MySQL, MariaDB and Doris apart and reads their versions', () => {
    expect(describeMysqlServer('8.0.32', 'MySQL Community Server - GPL')).toEqual({ flavor: 'mysql', serverInfo: 'MySQL 8.0.32', version: '8.0.32' });
    expect(describeMysqlServer('10.11.19-MariaDB-0+deb12u1', 'Debian 12')).toEqual({ flavor: 'mariadb', serverInfo: 'MariaDB 10.11.19', version: '10.11.19' });
    expect(describeMysqlServer('5.7.99', 'Doris version doris-2.1.7-rc03-443e87e203')).toEqual({ flavor: 'doris', serverInfo: 'Doris 2.1.7', version: '2.1.7' });
  });

  it("bounds statements with each flavor's own variable and keeps MariaDB's IN lists as filters", () => {
    expect(sessionSetup('mariadb', 30_000)).toEqual([
      { sql: 'SET SESSION max_statement_time = ?', values: [30] },
      { sql: 'SET SESSION in_predicate_conversion_threshold = ?', values: [0] },
    ]);
    expect(sessionSetup('mysql', 30_000)).toEqual([{ sql: 'SET SESSION max_execution_time = ?, net_write_timeout = ?', values: [30_000, 86_400] }]);
    expect(sessionSetup('doris', 1500)).toEqual([{ sql: 'SET query_timeout = ?', values: [2] }]);
  });

  it('accepts the seed config and the template charset', () => {
    const spec = mysqlConfigSpec(3306);
    const config = { host: 'h', port: 3306, database: 'production', username: 'admin', password: 'secret', timeout: 30, max_conns: 10, max_idle_conns: 5, charset: 'utf8mb4' };
    expect(validateConfig(spec, config)).toEqual([]);
    expect(withDefaults(spec, { host: 'h' })).toMatchObject({ port: 3306, charset: 'utf8mb4', ssl: false, ssl_verify: true });
  });
});

describe('MySQL catalog statements', () => {
  it('binds scope globs as LIKE patterns and hides system databases unless named', () => {
    const s = schemataStatement(['sales_*', 'mysql'], ['sales_tmp?'], ['information_schema', 'mysql', 'performance_schema', 'sys']);
    expect(s.sql).toContain('(SCHEMA_NAME LIKE ? OR SCHEMA_NAME LIKE ?) AND NOT (SCHEMA_NAME LIKE ?) AND SCHEMA_NAME NOT IN (?)');
    expect(s.values).toEqual(['sales\\_%', 'mysql', 'sales\\_tmp_', ['information_schema', 'performance_schema', 'sys']]);
    const names = tableNamesStatement("o'brien", undefined, ['tmp_*']);
    expect(names.sql).not.toContain("o'brien");
    expect(names.values).toEqual(["o'brien", 'tmp\\_%']);
  });

  it('names InnoDB dictionary entries only where no file-name encoding applies', () => {
    expect(dictionaryName('sales', 'orders_2024')).toBe('sales/orders_2024');
    expect(dictionaryName('sales', 'odd-name')).toBeUndefined();
    expect(decodeDictionaryName('sales/odd@002dname')).toBe('sales/odd-name');
  });
});

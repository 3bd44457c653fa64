import { ConnectorErrorCode } from '../core/errors';
import { classifyMysqlError } from './errors';

// Errors shaped as mysql2 raises them: server errors carry errno, code and sqlState.
const serverError = (errno: number, code: string, message: string) =>
  Object.assign(new Error(message), { errno, code, sqlState: '28000' });

describe('MySQL error classification', () => {
  it.each([
    [
      1045,
      'ER_ACCESS_DENIED_ERROR',
      "Access denied for user 'app'@'10.0.0.5' (using password: YES)",
      ConnectorErrorCode.AuthFailed,
      /wrong user name or password/,
    ],
    [
      1130,
      'ER_HOST_NOT_PRIVILEGED',
      "Host '10.0.0.5' is not allowed to connect to this MariaDB server",
      ConnectorErrorCode.AuthFailed,
      /from this host/,
    ],
    [
      1044,
      'ER_DBACCESS_DENIED_ERROR',
      "Access denied for user 'app'@'%' to database 'sales'",
      ConnectorErrorCode.PermissionDenied,
      /privilege/,
    ],
    [
      1142,
      'ER_TABLEACCESS_DENIED_ERROR',
      "SELECT command denied to user 'app'@'%' for table 'secrets'",
      ConnectorErrorCode.PermissionDenied,
      /privilege/,
    ],
    [
      1227,
      'ER_SPECIFIC_ACCESS_DENIED_ERROR',
      'Access denied; you need (at least one of) the PROCESS privilege(s) for this operation',
      ConnectorErrorCode.PermissionDenied,
      /PROCESS/,
    ],
    [1049, 'ER_BAD_DB_ERROR', "Unknown database 'nope'", ConnectorErrorCode.InvalidConfig, /database name/],
    [
      1969,
      'ER_STATEMENT_TIMEOUT',
      'Query execution was interrupted (max_statement_time exceeded)',
      ConnectorErrorCode.Timeout,
      /timeout/,
    ],
    [
      3024,
      'ER_QUERY_TIMEOUT',
      'Query execution was interrupted, maximum statement execution time exceeded',
      ConnectorErrorCode.Timeout,
      /timeout/,
    ],
    [1040, 'ER_CON_COUNT_ERROR', 'Too many connections', ConnectorErrorCode.Unreachable, /max_conns/],
    [1146, 'ER_NO_SUCH_TABLE', "Table 'x.y' doesn't exist", ConnectorErrorCode.Protocol, undefined],
  ])('maps errno %i', (errno, code, message, expected, hint) => {
    const error = classifyMysqlError(serverError(errno, code, message));
    expect(error.code).toBe(expected);
    expect(error.message).toBe(message);
    if (hint) expect(error.hint).toMatch(hint);
  });

  it('maps socket, TLS and timeout errors from the driver', () => {
    expect(classifyMysqlError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).code).toBe(
      ConnectorErrorCode.Unreachable,
    );
    expect(
      classifyMysqlError(
        Object.assign(new Error('Server does not support secure connection'), { code: 'HANDSHAKE_NO_SSL_SUPPORT' }),
      ).code,
    ).toBe(ConnectorErrorCode.Tls);
    expect(
      classifyMysqlError(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }))
        .code,
    ).toBe(ConnectorErrorCode.Tls);
    expect(classifyMysqlError(Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' })).code).toBe(
      ConnectorErrorCode.Timeout,
    );
  });
});

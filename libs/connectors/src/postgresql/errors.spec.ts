import { ConnectorErrorCode } from '../core/errors';
import { classifyPgError } from './errors';

// Errors shaped as node-postgres raises them: server errors carry the SQLSTATE in `code`.
const serverError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'FATAL' });

describe('PostgreSQL error classification', () => {
  it.each([
    [
      '28P01',
      'password authentication failed for user "app"',
      ConnectorErrorCode.AuthFailed,
      /wrong user name or password/,
    ],
    ['28000', 'role "nobody" does not exist', ConnectorErrorCode.AuthFailed, /wrong user name or password/],
    [
      '28000',
      'no pg_hba.conf entry for host "10.0.0.5", user "app", database "db", SSL off',
      ConnectorErrorCode.AuthFailed,
      /require TLS/,
    ],
    ['42501', 'permission denied for table secrets', ConnectorErrorCode.PermissionDenied, /privilege/],
    ['3D000', 'database "nope" does not exist', ConnectorErrorCode.InvalidConfig, /database name/],
    ['57014', 'canceling statement due to statement timeout', ConnectorErrorCode.Timeout, /timeout/],
    ['53300', 'sorry, too many clients already', ConnectorErrorCode.Unreachable, /connection slots/],
    ['42P01', 'relation "x" does not exist', ConnectorErrorCode.Protocol, undefined],
  ])('maps SQLSTATE %s (%s)', (code, message, expected, hint) => {
    const error = classifyPgError(serverError(code, message));
    expect(error.code).toBe(expected);
    expect(error.message).toBe(message);
    if (hint) expect(error.hint).toMatch(hint);
  });

  it('maps socket, TLS and driver timeout errors', () => {
    expect(
      classifyPgError(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5432'), { code: 'ECONNREFUSED' })).code,
    ).toBe(ConnectorErrorCode.Unreachable);
    expect(classifyPgError(new Error('The server does not support SSL connections')).code).toBe(ConnectorErrorCode.Tls);
    expect(
      classifyPgError(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }))
        .code,
    ).toBe(ConnectorErrorCode.Tls);
    expect(classifyPgError(new Error('Connection terminated due to connection timeout')).code).toBe(
      ConnectorErrorCode.Timeout,
    );
    expect(classifyPgError(new Error('Connection terminated unexpectedly')).code).toBe(ConnectorErrorCode.Unreachable);
  });
});

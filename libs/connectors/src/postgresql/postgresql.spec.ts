import { validateConfig, withDefaults } from '../core/config-spec';
import { ConnectorErrorCode } from '../core/errors';
import { scopeParameters } from './collect';
import { POSTGRES_CONFIG_SPEC, readPgSettings, tlsOptions } from './config';
import { describePgServer } from './diagnostics';
import { classifyPgError } from './errors';

// Errors shaped as node-postgres raises them: server errors carry the SQLSTATE in `code`.
const serverError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'FATAL' });

describe('PostgreSQL error classification', () => {
  it.each([
    ['28P01', 'password authentication failed for user "app"', ConnectorErrorCode.AuthFailed, /wrong user name or password/],
    ['28000', 'role "nobody" does not exist', ConnectorErrorCode.AuthFailed, /wrong user name or password/],
    ['28000', 'no pg_hba.conf entry for host "10.0.0.5", user "app", database "db", SSL off', ConnectorErrorCode.AuthFailed, /require TLS/],
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
    expect(classifyPgError(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5432'), { code: 'ECONNREFUSED' })).code).toBe(ConnectorErrorCode.Unreachable);
    expect(classifyPgError(new Error('The server does not support SSL connections')).code).toBe(ConnectorErrorCode.Tls);
    expect(classifyPgError(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })).code).toBe(ConnectorErrorCode.Tls);
    expect(classifyPgError(new Error('Connection terminated due to connection timeout')).code).toBe(ConnectorErrorCode.Timeout);
    expect(classifyPgError(new Error('Connection terminated unexpectedly')).code).toBe(ConnectorErrorCode.Unreachable);
  });
});

describe('PostgreSQL configuration', () => {
  it('accepts the seed-style config and fills defaults', () => {
    const config = { host: 'db', port: 5432, username: 'u', password: 'p', timeout: 30, max_conns: 10, max_idle_conns: 5 };
    expect(validateConfig(POSTGRES_CONFIG_SPEC, config)).toEqual([]);
    expect(withDefaults(POSTGRES_CONFIG_SPEC, config)).toMatchObject({ database: 'postgres', sslmode: 'disable', schema: 'public' });
    expect(POSTGRES_CONFIG_SPEC.find((f) => f.name === 'password')!.secret).toBe(true);
  });

  it('rejects an unknown sslmode and reads ssl: true as require', () => {
    expect(validateConfig(POSTGRES_CONFIG_SPEC, { host: 'db', sslmode: 'sometimes' })).toEqual([{ field: 'sslmode', message: expect.stringContaining('must be one of') }]);
    expect(readPgSettings({ host: 'db', ssl: true }).sslmode).toBe('require');
    expect(tlsOptions(readPgSettings({ host: 'db', sslmode: 'require' }))).toEqual({ rejectUnauthorized: false });
    expect(tlsOptions(readPgSettings({ host: 'db', sslmode: 'verify-full' }))).toMatchObject({ rejectUnauthorized: true, servername: 'db' });
    expect(tlsOptions(readPgSettings({ host: 'db' }))).toBe(false);
  });
});

describe('PostgreSQL helpers', () => {
  it('describes the server from server_version', () => {
    expect(describePgServer('15.19 (Debian 15.19-0+deb12u1)')).toEqual({ serverInfo: 'PostgreSQL 15.19', version: '15.19' });
    expect(describePgServer('16beta2')).toEqual({ serverInfo: 'PostgreSQL 16', version: '16' });
  });

  it('turns the scope into bound LIKE patterns and keeps system schemas out unless named', () => {
    expect(scopeParameters({ includeSchemas: ['sales_*'], excludeTables: ['tmp?'] })).toEqual([['sales\\_%'], [], ['pg_catalog', 'information_schema', 'pg_toast'], [], ['tmp_']]);
    expect(scopeParameters({ includeSchemas: ['pg_catalog'] })[2]).toEqual(['information_schema', 'pg_toast']);
  });
});

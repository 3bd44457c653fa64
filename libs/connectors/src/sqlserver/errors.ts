import { ConnectorError, ConnectorErrorCode } from '../core/errors';

/**
 * mssql/tedious errors mapped onto connector codes. Connection errors carry mssql's codes (ELOGIN
 * for a refused login — server error 18456 — ESOCKET, ETIMEOUT, EINSTLOOKUP); request errors
 * carry EREQUEST with the server's error number (229/230 permission denied, 916 no access to the
 * database, 4060 cannot open database, 208 invalid object name).
 */
const AUTH_NUMBERS = new Set([18456, 18452, 18470, 18486, 18487, 18488]);
const PERMISSION_NUMBERS = new Set([229, 230, 262, 297, 300, 916, 15247]);
const MISSING_DATABASE_NUMBERS = new Set([4060, 911]);

function field(err: unknown, key: string): unknown {
  return typeof err === 'object' && err !== null && key in err ? (err as Record<string, unknown>)[key] : undefined;
}

function serverNumber(err: unknown): number | undefined {
  for (const candidate of [err, field(err, 'originalError'), field(field(err, 'originalError'), 'cause')]) {
    const n = field(candidate, 'number');
    if (typeof n === 'number') return n;
  }
  return undefined;
}

export function classifySqlServerError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = String(field(err, 'code') ?? field(field(err, 'originalError'), 'code') ?? '');
  const number = serverNumber(err);
  const make = (c: ConnectorErrorCode, hint?: string) => new ConnectorError(c, message, hint, err);

  if ((number !== undefined && MISSING_DATABASE_NUMBERS.has(number)) || /Cannot open database/i.test(message)) {
    return make(
      ConnectorErrorCode.PermissionDenied,
      'The login cannot open that database: check the database name, and that the login has a user in it (CREATE USER … FOR LOGIN …).',
    );
  }
  if ((number !== undefined && AUTH_NUMBERS.has(number)) || code === 'ELOGIN' || /Login failed/i.test(message)) {
    return make(
      ConnectorErrorCode.AuthFailed,
      'SQL Server refused the login: check the user name and password, and that SQL Server authentication (mixed mode) is enabled.',
    );
  }
  if (
    (number !== undefined && PERMISSION_NUMBERS.has(number)) ||
    /permission was denied|is not able to access the database/i.test(message)
  ) {
    return make(
      ConnectorErrorCode.PermissionDenied,
      'The login lacks a permission: grant VIEW DEFINITION for the catalog and SELECT on the tables to profile.',
    );
  }
  if (code === 'ECANCEL' || code === 'EABORT') return make(ConnectorErrorCode.Cancelled);
  if (code === 'ETIMEOUT' || /timeout|timed out/i.test(message)) {
    return make(
      ConnectorErrorCode.Timeout,
      "The server did not answer in time: raise the source's timeout, or check the port and firewalls.",
    );
  }
  if (/certificate|self[- ]signed|SSL|TLS|ssl routines/i.test(message) || code === 'ETLS') {
    return make(
      ConnectorErrorCode.Tls,
      'TLS failed: the certificate is not trusted — install the CA, or set trust_server_certificate for a development server — or set encrypt to match the server.',
    );
  }
  if (code === 'EINSTLOOKUP')
    return make(
      ConnectorErrorCode.Unreachable,
      'The SQL Server Browser did not report that instance: check instance_name and UDP 1434.',
    );
  if (code === 'ESOCKET' || code === 'ECONNCLOSED' || /ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH/.test(message)) {
    return make(
      ConnectorErrorCode.Unreachable,
      'The connection failed: check the host, the port (1433 by default) and that TCP/IP is enabled on the server.',
    );
  }
  return make(ConnectorErrorCode.Protocol);
}

import { ConnectorError, ConnectorErrorCode } from '../core/errors';

/**
 * Oracle Database errors (ORA-nnnnn, documented in the Database Error Messages reference) and
 * node-oracledb thin-mode errors (NJS-nnn) mapped onto connector codes. Thin mode reports the
 * listener's ORA-12514 / ORA-12505 as NJS-518 / NJS-519.
 */
const RULES: Array<[RegExp, ConnectorErrorCode, string]> = [
  [
    /^ORA-(01017|01005|28000|28001|28009|01004|28040|12638)$/,
    ConnectorErrorCode.AuthFailed,
    'The database refused the login: check the user name and password (case-sensitive), and whether the account is locked (ORA-28000) or its password expired (ORA-28001).',
  ],
  [/^ORA-(01045)$/, ConnectorErrorCode.PermissionDenied, 'The account may not log in: grant it CREATE SESSION.'],
  [
    /^ORA-(00942|01031|04043)$/,
    ConnectorErrorCode.PermissionDenied,
    'The account lacks a privilege: grant it SELECT on the tables to profile (or SELECT ANY DICTIONARY / SELECT_CATALOG_ROLE for a wider catalog).',
  ],
  [
    /^(ORA-12514|NJS-518)$/,
    ConnectorErrorCode.InvalidConfig,
    'The listener does not know that service name: check service_name (lsnrctl services lists the registered ones) or use sid instead.',
  ],
  [
    /^(ORA-12505|NJS-519)$/,
    ConnectorErrorCode.InvalidConfig,
    'The listener does not know that SID: check sid, or use service_name (pluggable databases are reached by service name).',
  ],
  [
    /^(ORA-12541|ORA-12543|ORA-12545|ORA-12537|NJS-503|NJS-511|NJS-530)$/,
    ConnectorErrorCode.Unreachable,
    'No Oracle listener answered: check the host, the port (1521 by default) and that the listener runs.',
  ],
  [
    /^(ORA-03113|ORA-03114|ORA-03135|NJS-500|NJS-501|NJS-521)$/,
    ConnectorErrorCode.Unreachable,
    'The connection to the database dropped: check the network and the database state, then retry.',
  ],
  [
    /^(ORA-12170|ORA-03136|NJS-510|NJS-123|NJS-040|DPI-1067)$/,
    ConnectorErrorCode.Timeout,
    "The database did not answer in time: raise the source's timeout or check the listener and the network.",
  ],
  [/^(ORA-01013)$/, ConnectorErrorCode.Cancelled, ''],
  [
    /^(NJS-505|NJS-506|NJS-507|NJS-508|ORA-29024|ORA-28860|ORA-29106)$/,
    ConnectorErrorCode.Tls,
    'TLS failed: check that the port speaks TCPS (ssl) and that the server certificate is trusted.',
  ],
  [
    /^(NJS-138)$/,
    ConnectorErrorCode.Unsupported,
    'Thin mode connects to Oracle Database 12.1 and later; this server is older.',
  ],
  [
    /^(ORA-00904|ORA-00903)$/,
    ConnectorErrorCode.Protocol,
    'The server rejected a catalog query: the database version may lack a dictionary column this connector reads.',
  ],
];

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
]);

function field(err: unknown, key: string): unknown {
  return typeof err === 'object' && err !== null && key in err ? (err as Record<string, unknown>)[key] : undefined;
}

/** `ORA-01017` from `code`, from `errorNum`, or from the start of the message. */
export function oracleErrorCode(err: unknown): string | undefined {
  const code = field(err, 'code');
  if (typeof code === 'string' && /^(ORA|NJS|DPI|TNS)-\d+$/.test(code)) return code;
  const errorNum = field(err, 'errorNum');
  if (typeof errorNum === 'number' && errorNum > 0) return `ORA-${String(errorNum).padStart(5, '0')}`;
  const m = /\b(ORA|NJS|DPI)-(\d+)/.exec(err instanceof Error ? err.message : String(err));
  return m ? `${m[1]}-${m[2]}` : typeof code === 'string' ? code : undefined;
}

export function classifyOracleError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const message = (err instanceof Error ? err.message : String(err)).split('\nHelp: ')[0];
  const code = oracleErrorCode(err) ?? '';
  for (const [pattern, connectorCode, hint] of RULES) {
    if (pattern.test(code)) return new ConnectorError(connectorCode, message, hint || undefined, err);
  }
  if (NETWORK_CODES.has(code))
    return new ConnectorError(
      ConnectorErrorCode.Unreachable,
      message,
      'The connection failed: check the host, the port and firewalls.',
      err,
    );
  return new ConnectorError(ConnectorErrorCode.Protocol, message, undefined, err);
}

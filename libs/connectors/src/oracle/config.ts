import { cfgBool, cfgNumber, cfgString, sqlFields } from '../core/config-spec';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { ConfigField, ConnectorConfig } from '../core/types';

const EXTRA_FIELDS: ConfigField[] = [
  {
    name: 'service_name',
    type: 'string',
    required: false,
    secret: false,
    addressing: true,
    oneOf: ['service_name', 'sid'],
    description: 'Service name the listener knows the database by (e.g. ORCLPDB1); give this or sid.',
  },
  {
    name: 'sid',
    type: 'string',
    required: false,
    secret: false,
    addressing: true,
    oneOf: ['service_name', 'sid'],
    description: 'Instance SID, for databases reached by SID rather than service name.',
  },
  {
    name: 'include_system_schemas',
    type: 'boolean',
    required: false,
    default: false,
    secret: false,
    description: 'Also collect Oracle-maintained schemas (SYS, SYSTEM, XDB, …); they are skipped by default.',
  },
];

/** Oracle has no `database` to choose at connect time: the service name or SID selects it. */
export const ORACLE_CONFIG_SPEC: readonly ConfigField[] = sqlFields(1521, EXTRA_FIELDS)
  .filter((f) => f.name !== 'database')
  .map((f) => (f.name === 'ssl' ? { ...f, description: 'Connect over TCPS (TLS) instead of TCP.' } : f));

export interface OracleSettings {
  host: string;
  port: number;
  user?: string;
  password?: string;
  serviceName?: string;
  sid?: string;
  tcps: boolean;
  includeSystemSchemas: boolean;
  timeoutMs: number;
  maxConns: number;
  maxIdleConns: number;
}

export function readOracleSettings(config: ConnectorConfig): OracleSettings {
  const host = cfgString(config, 'host');
  if (!host)
    throw new ConnectorError(
      ConnectorErrorCode.InvalidConfig,
      'host is required',
      'Set the listener host name or address.',
    );
  const serviceName = cfgString(config, 'service_name');
  const sid = cfgString(config, 'sid');
  if (!serviceName && !sid) {
    throw new ConnectorError(
      ConnectorErrorCode.InvalidConfig,
      'service_name or sid is required',
      'Give the service name (lsnrctl services lists them) or the SID.',
    );
  }
  return {
    host,
    port: cfgNumber(config, 'port', 1521),
    user: cfgString(config, 'username'),
    password: cfgString(config, 'password'),
    serviceName,
    sid,
    tcps: cfgBool(config, 'ssl'),
    includeSystemSchemas: cfgBool(config, 'include_system_schemas'),
    timeoutMs: cfgNumber(config, 'timeout', 30) * 1000,
    maxConns: cfgNumber(config, 'max_conns', 10),
    maxIdleConns: cfgNumber(config, 'max_idle_conns', 5),
  };
}

/** Characters a host, service name or SID may hold; anything else could alter the descriptor. */
const DESCRIPTOR_VALUE = /^[A-Za-z0-9_.$#:\-[\]]+$/;

function descriptorValue(what: string, value: string): string {
  if (!DESCRIPTOR_VALUE.test(value)) {
    throw new ConnectorError(
      ConnectorErrorCode.InvalidConfig,
      `${what} "${value}" holds characters a connect descriptor cannot carry`,
      `Use the plain ${what} (letters, digits, _ . $ # -).`,
    );
  }
  return value;
}

/**
 * A full connect descriptor (not Easy Connect) so that both SERVICE_NAME and SID work, with every
 * value checked against the characters Oracle Net allows, since the descriptor is text.
 */
export function connectDescriptor(settings: OracleSettings, host: string): string {
  const address = `(ADDRESS=(PROTOCOL=${settings.tcps ? 'TCPS' : 'TCP'})(HOST=${descriptorValue('host', host)})(PORT=${settings.port}))`;
  const target = settings.serviceName
    ? `(SERVICE_NAME=${descriptorValue('service_name', settings.serviceName)})`
    : `(SID=${descriptorValue('sid', settings.sid ?? '')})`;
  return `(DESCRIPTION=${address}(CONNECT_DATA=${target}))`;
}

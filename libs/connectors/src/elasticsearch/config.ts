import { POOL_FIELDS, cfgBool, cfgNumber, cfgString, cfgStrings } from '../core/config-spec';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { ConfigField, ConnectorConfig } from '../core/types';

export const ELASTICSEARCH_CONFIG_SPEC: readonly ConfigField[] = [
  {
    name: 'nodes',
    type: 'string[]',
    required: true,
    secret: false,
    addressing: true,
    description: 'Node URLs, e.g. ["https://es1.example:9200"]; the client spreads requests over them.',
  },
  { name: 'username', type: 'string', required: false, secret: false, description: 'User for basic authentication.' },
  {
    name: 'password',
    type: 'string',
    required: false,
    secret: true,
    description: 'Password for basic authentication.',
  },
  {
    name: 'api_key',
    type: 'string',
    required: false,
    secret: true,
    description: 'API key (the base64 "id:api_key" form); used instead of username/password.',
  },
  {
    name: 'ca_fingerprint',
    type: 'string',
    required: false,
    secret: false,
    addressing: true,
    description: 'SHA-256 fingerprint of the CA that signed the node certificates (trusts a private CA).',
  },
  {
    name: 'tls_skip_verify',
    type: 'boolean',
    required: false,
    default: false,
    secret: false,
    addressing: true,
    description: 'Accept any certificate (testing only).',
  },
  {
    name: 'include_system_indices',
    type: 'boolean',
    required: false,
    default: false,
    secret: false,
    description: 'Also collect system and hidden indices and data streams (names starting with ".").',
  },
  ...POOL_FIELDS.map((f) =>
    f.name === 'max_idle_conns'
      ? {
          ...f,
          description:
            'Accepted so every source shares one config shape; the Elasticsearch client keeps idle HTTP connections alive for reuse and has no separate cap.',
        }
      : f,
  ),
];

export interface EsNode {
  url: string;
  protocol: 'http:' | 'https:';
  host: string;
  port: number;
}

export interface EsSettings {
  nodes: EsNode[];
  username?: string;
  password?: string;
  apiKey?: string;
  caFingerprint?: string;
  tlsSkipVerify: boolean;
  includeSystemIndices: boolean;
  timeoutMs: number;
  maxConns: number;
}

function invalid(message: string): ConnectorError {
  return new ConnectorError(
    ConnectorErrorCode.InvalidConfig,
    message,
    'List node URLs such as "https://es1.example:9200".',
  );
}

export function parseNode(raw: string): EsNode {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(`"${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(`"${raw}" must use http or https`);
  if (url.username || url.password)
    throw invalid('Put credentials in username/password or api_key, not in the node URL');
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { url: url.toString(), protocol: url.protocol, host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port };
}

export function esSettings(config: ConnectorConfig): EsSettings {
  const nodes = cfgStrings(config, 'nodes').map(parseNode);
  if (nodes.length === 0) throw invalid('At least one node URL is required');
  return {
    nodes,
    username: cfgString(config, 'username'),
    password: cfgString(config, 'password'),
    apiKey: cfgString(config, 'api_key'),
    caFingerprint: cfgString(config, 'ca_fingerprint'),
    tlsSkipVerify: cfgBool(config, 'tls_skip_verify'),
    includeSystemIndices: cfgBool(config, 'include_system_indices'),
    timeoutMs: cfgNumber(config, 'timeout', 30) * 1000,
    maxConns: cfgNumber(config, 'max_conns', 10),
  };
}

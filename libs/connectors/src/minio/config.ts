import { cfgBool, cfgNumber, cfgString, POOL_FIELDS } from '../core/config-spec';
import { ConfigField, ConnectorConfig } from '../core/types';

export const MINIO_DEFAULT_SAMPLE_BYTES = 64 * 1024;
export const MINIO_DEFAULT_MAX_OBJECTS = 100_000;

export const MINIO_CONFIG_SPEC: readonly ConfigField[] = [
  {
    name: 'endpoint',
    type: 'string',
    required: true,
    secret: false,
    addressing: true,
    description: 'Host name or address of the MinIO / S3 endpoint (a URL such as https://minio:9000 also works).',
  },
  {
    name: 'port',
    type: 'integer',
    required: false,
    default: 9000,
    secret: false,
    addressing: true,
    min: 1,
    max: 65535,
    description: 'Endpoint port.',
  },
  {
    name: 'access_key',
    type: 'string',
    required: false,
    secret: false,
    description: 'Access key; leave empty for anonymous access.',
  },
  { name: 'secret_key', type: 'string', required: false, secret: true, description: 'Secret key.' },
  {
    name: 'use_ssl',
    type: 'boolean',
    required: false,
    default: false,
    secret: false,
    addressing: true,
    description: 'Use HTTPS.',
  },
  {
    name: 'region',
    type: 'string',
    required: false,
    secret: false,
    description: 'Region to sign requests for; when empty, asked per bucket.',
  },
  {
    name: 'prefix_depth',
    type: 'integer',
    required: false,
    default: 2,
    secret: false,
    min: 0,
    max: 10,
    description: 'How many "/"-levels of prefixes become assets (0: buckets only).',
  },
  {
    name: 'sample_schema',
    type: 'boolean',
    required: false,
    default: true,
    secret: false,
    description: 'Infer columns of each prefix from a bounded read of one CSV/TSV/JSON-lines/JSON object in it.',
  },
  {
    name: 'sample_bytes',
    type: 'integer',
    required: false,
    default: MINIO_DEFAULT_SAMPLE_BYTES,
    secret: false,
    min: 1024,
    max: 16 * 1024 * 1024,
    description: 'Bytes read from the start of a sample object (a ranged GET).',
  },
  {
    name: 'max_objects_per_bucket',
    type: 'integer',
    required: false,
    default: MINIO_DEFAULT_MAX_OBJECTS,
    secret: false,
    min: 1,
    max: 100_000_000,
    description: 'Objects listed per bucket at most; beyond it the bucket is marked listing_truncated.',
  },
  ...POOL_FIELDS,
];

export interface MinioSettings {
  host: string;
  port: number;
  useSSL: boolean;
  accessKey: string;
  secretKey: string;
  region?: string;
  prefixDepth: number;
  sampleSchema: boolean;
  sampleBytes: number;
  maxObjects: number;
  timeoutMs: number;
}

export function minioSettings(config: ConnectorConfig): MinioSettings {
  const raw = cfgString(config, 'endpoint') ?? '';
  let host = raw;
  let port = cfgNumber(config, 'port', 9000);
  let useSSL = cfgBool(config, 'use_ssl');
  if (/^https?:\/\//i.test(raw)) {
    const url = new URL(raw);
    host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    useSSL = url.protocol === 'https:';
    if (url.port) port = Number(url.port);
    else if (config.port === undefined) port = useSSL ? 443 : 80;
  }
  return {
    host,
    port,
    useSSL,
    accessKey: cfgString(config, 'access_key') ?? '',
    secretKey: typeof config.secret_key === 'string' ? config.secret_key : '',
    region: cfgString(config, 'region'),
    prefixDepth: cfgNumber(config, 'prefix_depth', 2),
    sampleSchema: cfgBool(config, 'sample_schema', true),
    sampleBytes: cfgNumber(config, 'sample_bytes', MINIO_DEFAULT_SAMPLE_BYTES),
    maxObjects: cfgNumber(config, 'max_objects_per_bucket', MINIO_DEFAULT_MAX_OBJECTS),
    timeoutMs: cfgNumber(config, 'timeout', 30) * 1000,
  };
}

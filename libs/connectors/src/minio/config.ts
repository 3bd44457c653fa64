import { cfgBool, cfgNumber, cfgString, POOL_FIELDS } from '../core/config-spec';
import { ConfigField, ConnectorConfig } from '../core/types';

export const MINIO_DEFAULT_SAMPLE_BYTES = 64 * 1024;
export const MINIO_DEFAULT_MAX_OBJECTS = 100_000;
export const MINIO_DEFAULT_FOOTER_BYTES = 1024 * 1024;
export const MINIO_DEFAULT_METADATA_BYTES = 4 * 1024 * 1024;
export const MINIO_DEFAULT_LOG_FILES = 100;

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
    description:
      'Infer columns of each prefix from a bounded read of one CSV/TSV/JSON-lines/JSON/Avro/Parquet object in it.',
  },
  {
    name: 'sample_bytes',
    type: 'integer',
    required: false,
    default: MINIO_DEFAULT_SAMPLE_BYTES,
    secret: false,
    min: 1024,
    max: 16 * 1024 * 1024,
    description: 'Bytes read from the start of a sample object, or from the end of a Parquet file (a ranged GET).',
  },
  {
    name: 'max_footer_bytes',
    type: 'integer',
    required: false,
    default: MINIO_DEFAULT_FOOTER_BYTES,
    secret: false,
    min: 1024,
    max: 64 * 1024 * 1024,
    description:
      'Largest Parquet footer read (a second ranged GET when it exceeds sample_bytes); larger ones are skipped.',
  },
  {
    name: 'max_metadata_bytes',
    type: 'integer',
    required: false,
    default: MINIO_DEFAULT_METADATA_BYTES,
    secret: false,
    min: 1024,
    max: 256 * 1024 * 1024,
    description:
      'Largest Iceberg metadata.json or Delta Lake commit file read; larger ones leave the table without a schema.',
  },
  {
    name: 'max_log_files',
    type: 'integer',
    required: false,
    default: MINIO_DEFAULT_LOG_FILES,
    secret: false,
    min: 1,
    max: 100_000,
    description: 'Delta Lake commit files read per table, newest first, looking for the current metaData action.',
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
  maxFooterBytes: number;
  maxMetadataBytes: number;
  maxLogFiles: number;
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
    maxFooterBytes: cfgNumber(config, 'max_footer_bytes', MINIO_DEFAULT_FOOTER_BYTES),
    maxMetadataBytes: cfgNumber(config, 'max_metadata_bytes', MINIO_DEFAULT_METADATA_BYTES),
    maxLogFiles: cfgNumber(config, 'max_log_files', MINIO_DEFAULT_LOG_FILES),
    maxObjects: cfgNumber(config, 'max_objects_per_bucket', MINIO_DEFAULT_MAX_OBJECTS),
    timeoutMs: cfgNumber(config, 'timeout', 30) * 1000,
  };
}

import { cfgBool, cfgNumber, cfgString, cfgStrings, POOL_FIELDS } from '../core/config-spec';
import { ConfigField, ConnectorConfig } from '../core/types';

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

export const KAFKA_CONFIG_SPEC: readonly ConfigField[] = [
  {
    name: 'brokers',
    type: 'string[]',
    required: true,
    secret: false,
    addressing: true,
    description: 'Bootstrap brokers as host:port, e.g. ["kafka-1:9092", "kafka-2:9092"].',
  },
  {
    name: 'client_id',
    type: 'string',
    required: false,
    default: 'metadata-catalog',
    secret: false,
    description: 'Client id the brokers see (quotas, logs).',
  },
  {
    name: 'ssl',
    type: 'boolean',
    required: false,
    default: false,
    secret: false,
    addressing: true,
    description: 'Connect with TLS.',
  },
  {
    name: 'sasl_mechanism',
    type: 'string',
    required: false,
    secret: false,
    addressing: true,
    enum: SASL_MECHANISMS,
    description: 'SASL mechanism; leave empty for no SASL.',
  },
  { name: 'sasl_username', type: 'string', required: false, secret: false, description: 'SASL user.' },
  { name: 'sasl_password', type: 'string', required: false, secret: true, description: 'SASL password.' },
  {
    name: 'include_internal_topics',
    type: 'boolean',
    required: false,
    default: false,
    secret: false,
    description: 'Also catalog internal topics (names starting with "__", e.g. __consumer_offsets).',
  },
  {
    name: 'schema_registry_url',
    type: 'string',
    required: false,
    secret: false,
    addressing: true,
    description:
      'Confluent-compatible Schema Registry, e.g. http://registry:8081: topic schemas (Avro, JSON Schema, Protobuf) by topic-name and record-name strategies, and Confluent-framed messages decoded.',
  },
  {
    name: 'schema_registry_username',
    type: 'string',
    required: false,
    secret: false,
    description: 'Schema Registry basic-auth user (with schema_registry_password).',
  },
  {
    name: 'schema_registry_password',
    type: 'string',
    required: false,
    secret: true,
    description: 'Schema Registry basic-auth password.',
  },
  {
    name: 'schema_registry_token',
    type: 'string',
    required: false,
    secret: true,
    description: 'Schema Registry bearer token (instead of basic auth).',
  },
  {
    name: 'schema_registry_ca',
    type: 'string',
    required: false,
    secret: false,
    addressing: true,
    description: 'PEM CA bundle that signs an https registry certificate.',
  },
  {
    name: 'schema_registry_tls_skip_verify',
    type: 'boolean',
    required: false,
    default: false,
    secret: false,
    addressing: true,
    description: "Do not verify the registry's TLS certificate (testing only).",
  },
  {
    name: 'sample_messages',
    type: 'integer',
    required: false,
    default: 20,
    min: 0,
    max: 1000,
    secret: false,
    description:
      'Last messages read per partition to infer a schema where the registry has none (0: never read messages).',
  },
  {
    name: 'sample_max_bytes',
    type: 'integer',
    required: false,
    default: 1048576,
    min: 1024,
    max: 67108864,
    secret: false,
    description: 'Upper bound on message bytes fetched per topic for the sample.',
  },
  {
    name: 'sample_timeout',
    type: 'integer',
    required: false,
    default: 5,
    min: 1,
    max: 120,
    secret: false,
    description: 'Seconds a topic sample may take before it is cut short.',
  },
  ...POOL_FIELDS,
];

export interface RegistrySettings {
  url: string;
  username?: string;
  password?: string;
  token?: string;
  ca?: string;
  skipVerify: boolean;
}

export interface SampleSettings {
  messagesPerPartition: number;
  maxBytes: number;
  timeoutMs: number;
}

export interface BrokerAddress {
  host: string;
  port: number;
}

export interface KafkaSettings {
  brokers: BrokerAddress[];
  clientId: string;
  ssl: boolean;
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
  includeInternalTopics: boolean;
  timeoutMs: number;
  registry?: RegistrySettings;
  sample: SampleSettings;
}

/** `host:port`, `[v6]:port` or a bare host (port 9092). */
export function parseBroker(text: string): BrokerAddress {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(text.trim());
  if (v6) return { host: v6[1], port: v6[2] ? Number(v6[2]) : 9092 };
  const m = /^([^:]+)(?::(\d+))?$/.exec(text.trim());
  if (!m) return { host: text.trim(), port: 9092 };
  return { host: m[1], port: m[2] ? Number(m[2]) : 9092 };
}

export function kafkaSettings(config: ConnectorConfig): KafkaSettings {
  const mechanism = cfgString(config, 'sasl_mechanism') as SaslMechanism | undefined;
  const registryUrl = cfgString(config, 'schema_registry_url');
  return {
    brokers: cfgStrings(config, 'brokers').map(parseBroker),
    clientId: cfgString(config, 'client_id') ?? 'metadata-catalog',
    ssl: cfgBool(config, 'ssl'),
    sasl: mechanism
      ? {
          mechanism,
          username: cfgString(config, 'sasl_username') ?? '',
          password: typeof config.sasl_password === 'string' ? config.sasl_password : '',
        }
      : undefined,
    includeInternalTopics: cfgBool(config, 'include_internal_topics'),
    timeoutMs: cfgNumber(config, 'timeout', 30) * 1000,
    registry: registryUrl
      ? {
          url: registryUrl.replace(/\/+$/, ''),
          username: cfgString(config, 'schema_registry_username'),
          password: cfgString(config, 'schema_registry_password'),
          token: cfgString(config, 'schema_registry_token'),
          ca: cfgString(config, 'schema_registry_ca'),
          skipVerify: cfgBool(config, 'schema_registry_tls_skip_verify'),
        }
      : undefined,
    sample: {
      messagesPerPartition: cfgNumber(config, 'sample_messages', 20),
      maxBytes: cfgNumber(config, 'sample_max_bytes', 1048576),
      timeoutMs: cfgNumber(config, 'sample_timeout', 5) * 1000,
    },
  };
}

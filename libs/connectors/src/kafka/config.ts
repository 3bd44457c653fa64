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
  ...POOL_FIELDS,
];

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
  };
}

import { cfgBool, cfgNumber, cfgString, POOL_FIELDS } from '../core/config-spec';
import { ConfigField, ConnectorConfig } from '../core/types';

export const RABBITMQ_CONFIG_SPEC: readonly ConfigField[] = [
  {
    name: 'host',
    type: 'string',
    required: true,
    secret: false,
    addressing: true,
    description: 'Broker host name or address (AMQP).',
  },
  {
    name: 'port',
    type: 'integer',
    required: false,
    default: 5672,
    secret: false,
    addressing: true,
    min: 1,
    max: 65535,
    description: 'AMQP port (5671 with ssl).',
  },
  { name: 'username', type: 'string', required: false, default: 'guest', secret: false, description: 'AMQP user.' },
  {
    name: 'password',
    type: 'string',
    required: false,
    default: 'guest',
    secret: true,
    description: 'Password of the AMQP user.',
  },
  {
    name: 'vhost',
    type: 'string',
    required: false,
    default: '/',
    secret: false,
    description:
      'Virtual host the connection test logs in to. The catalog covers every vhost the management user may see (narrow it with include_schemas).',
  },
  {
    name: 'ssl',
    type: 'boolean',
    required: false,
    default: false,
    secret: false,
    addressing: true,
    description: 'Speak AMQPS (TLS) to the broker.',
  },
  {
    name: 'management_url',
    type: 'string',
    required: false,
    secret: false,
    addressing: true,
    description:
      'Base URL of the management HTTP API, from which the catalog is read; defaults to http://<host>:15672.',
  },
  {
    name: 'management_username',
    type: 'string',
    required: false,
    secret: false,
    description: 'Management API user (needs the monitoring tag to see every vhost); defaults to username.',
  },
  {
    name: 'management_password',
    type: 'string',
    required: false,
    secret: true,
    description: 'Password of the management API user; defaults to password.',
  },
  ...POOL_FIELDS,
];

export interface RabbitSettings {
  host: string;
  port: number;
  username: string;
  password: string;
  vhost: string;
  ssl: boolean;
  managementUrl: string;
  managementUsername: string;
  managementPassword: string;
  timeoutMs: number;
}

export function rabbitSettings(config: ConnectorConfig): RabbitSettings {
  const host = cfgString(config, 'host') ?? '';
  const username = cfgString(config, 'username') ?? 'guest';
  const password = typeof config.password === 'string' ? config.password : 'guest';
  const hostForUrl = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return {
    host,
    port: cfgNumber(config, 'port', 5672),
    username,
    password,
    vhost: typeof config.vhost === 'string' && config.vhost !== '' ? config.vhost : '/',
    ssl: cfgBool(config, 'ssl'),
    managementUrl: (cfgString(config, 'management_url') ?? `http://${hostForUrl}:15672`).replace(/\/+$/, ''),
    managementUsername: cfgString(config, 'management_username') ?? username,
    managementPassword: typeof config.management_password === 'string' ? config.management_password : password,
    timeoutMs: cfgNumber(config, 'timeout', 30) * 1000,
  };
}

import { ConfigField, ConnectorConfig } from './types';

export interface ConfigProblem {
  field: string;
  message: string;
}

/** Fields every source shares, per the seed's example config. */
export const POOL_FIELDS: ConfigField[] = [
  {
    name: 'timeout',
    type: 'integer',
    required: false,
    default: 30,
    secret: false,
    min: 1,
    max: 3600,
    description: 'Connect and query timeout in seconds.',
  },
  {
    name: 'max_conns',
    type: 'integer',
    required: false,
    default: 10,
    secret: false,
    min: 1,
    max: 1000,
    description: 'Most connections the pool opens.',
  },
  {
    name: 'max_idle_conns',
    type: 'integer',
    required: false,
    default: 5,
    secret: false,
    min: 0,
    max: 1000,
    description: 'Most idle connections the pool keeps.',
  },
];

/** host/port/username/password/database plus pool fields: the shape of most SQL sources. */
export function sqlFields(defaultPort: number, extra: ConfigField[] = [], databaseRequired = false): ConfigField[] {
  return [
    {
      name: 'host',
      type: 'string',
      required: true,
      secret: false,
      addressing: true,
      description: 'Server host name or address.',
    },
    {
      name: 'port',
      type: 'integer',
      required: false,
      default: defaultPort,
      secret: false,
      addressing: true,
      min: 1,
      max: 65535,
      description: 'Server port.',
    },
    { name: 'username', type: 'string', required: false, secret: false, description: 'Account to connect with.' },
    { name: 'password', type: 'string', required: false, secret: true, description: 'Password of the account.' },
    {
      name: 'database',
      type: 'string',
      required: databaseRequired,
      secret: false,
      description: 'Database to connect to.',
    },
    {
      name: 'ssl',
      type: 'boolean',
      required: false,
      default: false,
      secret: false,
      addressing: true,
      description: 'Use TLS.',
    },
    ...extra,
    ...POOL_FIELDS,
  ];
}

function typeProblem(field: ConfigField, value: unknown): string | undefined {
  switch (field.type) {
    case 'string':
      return typeof value === 'string' ? undefined : 'must be a string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? undefined : 'must be an integer';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string')
        ? undefined
        : 'must be an array of strings';
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? undefined : 'must be an object';
  }
}

/**
 * Checks a config against its type's spec: unknown keys, required fields, types, ranges, enums
 * and one-of groups. Returns every problem so a user can fix them in one go.
 */
export function validateConfig(spec: readonly ConfigField[], config: ConnectorConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const known = new Map(spec.map((f) => [f.name, f]));
  for (const key of Object.keys(config)) {
    if (!known.has(key))
      problems.push({
        field: key,
        message: `is not a setting of this source type (known: ${[...known.keys()].join(', ')})`,
      });
  }
  const seenGroups = new Set<string>();
  for (const field of spec) {
    const value = config[field.name];
    if (value === undefined || value === null || value === '') {
      if (field.required) problems.push({ field: field.name, message: 'is required' });
      if (field.oneOf && !seenGroups.has(field.oneOf.join())) {
        seenGroups.add(field.oneOf.join());
        const present = field.oneOf.some((n) => config[n] !== undefined && config[n] !== null && config[n] !== '');
        if (!present)
          problems.push({ field: field.oneOf.join(' | '), message: `one of ${field.oneOf.join(', ')} is required` });
      }
      continue;
    }
    const typeError = typeProblem(field, value);
    if (typeError) {
      problems.push({ field: field.name, message: typeError });
      continue;
    }
    if (typeof value === 'number') {
      if (field.min !== undefined && value < field.min)
        problems.push({ field: field.name, message: `must be at least ${field.min}` });
      if (field.max !== undefined && value > field.max)
        problems.push({ field: field.name, message: `must be at most ${field.max}` });
    }
    if (field.enum && typeof value === 'string' && !field.enum.includes(value)) {
      problems.push({ field: field.name, message: `must be one of ${field.enum.join(', ')}` });
    }
  }
  return problems;
}

/** The config with defaults filled in for absent fields. */
export function withDefaults(spec: readonly ConfigField[], config: ConnectorConfig): ConnectorConfig {
  const out: ConnectorConfig = { ...config };
  for (const f of spec) if (out[f.name] === undefined && f.default !== undefined) out[f.name] = f.default;
  return out;
}

export function secretFieldNames(spec: readonly ConfigField[]): string[] {
  return spec.filter((f) => f.secret).map((f) => f.name);
}

// Typed accessors for connector code reading a validated config.
export const cfgString = (c: ConnectorConfig, k: string): string | undefined =>
  typeof c[k] === 'string' && c[k] !== '' ? (c[k] as string) : undefined;
export const cfgNumber = (c: ConnectorConfig, k: string, d: number): number =>
  typeof c[k] === 'number' ? (c[k] as number) : d;
export const cfgBool = (c: ConnectorConfig, k: string, d = false): boolean =>
  typeof c[k] === 'boolean' ? (c[k] as boolean) : d;
export const cfgStrings = (c: ConnectorConfig, k: string): string[] => (Array.isArray(c[k]) ? (c[k] as string[]) : []);

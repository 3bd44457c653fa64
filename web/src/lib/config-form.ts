import type { ConfigField } from '../api/types';

/** What the service shows in place of a stored secret. */
export const MASK = '******';

/**
 * Fields that say where a secret goes. The service keeps a stored secret only while these stay the
 * same (it answers 400 otherwise), so the form asks for the secrets again as soon as one changes.
 */
const ADDRESSING = new Set([
  'host',
  'port',
  'ssl',
  'sslmode',
  'tls',
  'uri',
  'url',
  'endpoint',
  'brokers',
  'nodes',
  'sid',
  'service_name',
  'instance_name',
  'management_url',
  'sasl_mechanism',
  'ssl_ca',
  'ca_fingerprint',
]);

export const isAddressing = (f: ConfigField) => ADDRESSING.has(f.name);

/** Form text for a stored value. */
export function toText(field: ConfigField, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (field.type === 'string[]' && Array.isArray(value)) return value.join(', ');
  if (field.type === 'object') return JSON.stringify(value, null, 2);
  return String(value);
}

/** The typed value of a form entry, or undefined when empty; throws a message naming the field. */
export function fromText(field: ConfigField, text: string): unknown {
  const t = text.trim();
  if (field.type === 'boolean') return text === 'true';
  if (t === '') return undefined;
  if (field.type === 'integer' || field.type === 'number') {
    const n = Number(t);
    if (!Number.isFinite(n) || (field.type === 'integer' && !Number.isInteger(n)))
      throw new Error(`${field.name}: a ${field.type} is expected`);
    return n;
  }
  if (field.type === 'string[]')
    return t
      .split(/[,\n]/)
      .map((s) => s.trim())
      .filter(Boolean);
  if (field.type === 'object') {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      throw new Error(`${field.name}: JSON is expected`);
    }
  }
  return text;
}

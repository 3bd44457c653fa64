export const MASK = '******';

// Key names whose values are secret wherever they appear (bodies, configs, logs, audit records).
const SECRET_KEY =
  /pass(word|wd|phrase)?$|secret|token|api_?key|access_?key|private_?key|credential|authorization|^uri$|_uri$|dsn|connection_string|sasl_password/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** A deep copy with every secret-looking value replaced by "******". */
export function redactSecrets<T>(value: T, extraSecretKeys: ReadonlySet<string> = new Set()): T {
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, extraSecretKeys)) as T;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] =
      (isSecretKey(k) || extraSecretKeys.has(k)) && v !== null && v !== undefined && v !== ''
        ? MASK
        : redactSecrets(v, extraSecretKeys);
  }
  return out as T;
}

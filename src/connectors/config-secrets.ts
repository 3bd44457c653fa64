import { ConfigField, ConnectorConfig } from '@app/connectors';
import { SecretCipher } from '../common/crypto/secret-cipher';
import { MASK } from '../common/redact';
import { embeddedCredentialFields } from '../common/transfer/embedded-passwords';
import { refuseSecretsToNewTarget } from './secret-binding';

// `scheme://user:password@…`: a connection URI carrying a password in a field that is not itself secret.
const URI_WITH_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@/?#\s]+)(@)/i;

/** `mongodb://u:pw@h` → `mongodb://u:******@h`; other strings are returned as they are. */
export function maskUriPassword(value: string): string {
  return value.replace(URI_WITH_PASSWORD, `$1${MASK}$3`);
}

function carriesPassword(value: unknown): value is string {
  const m = typeof value === 'string' ? URI_WITH_PASSWORD.exec(value) : null;
  return m !== null && m[2] !== MASK;
}

function carriesMaskedPassword(value: unknown): value is string {
  return typeof value === 'string' && URI_WITH_PASSWORD.exec(value)?.[2] === MASK;
}

/**
 * Encryption at rest and masking of one source type's config. Secret fields of the spec are stored
 * as SecretCipher ciphertext of their JSON value; URIs with an embedded password in other string
 * fields (or string lists) are stored encrypted as a whole. Responses show `"******"` for secret
 * fields and the URI with its password masked.
 */
export class ConfigSecrets {
  private readonly secretNames: ReadonlySet<string>;

  constructor(
    private readonly cipher: SecretCipher,
    private readonly spec: readonly ConfigField[],
  ) {
    this.secretNames = new Set(spec.filter((f) => f.secret).map((f) => f.name));
  }

  isSecret(name: string): boolean {
    return this.secretNames.has(name);
  }

  /** Clear config → what is stored. */
  seal(clear: ConnectorConfig): ConnectorConfig {
    const out: ConnectorConfig = {};
    for (const [key, value] of Object.entries(clear)) {
      if (value === undefined) continue;
      if (this.isSecret(key) && value !== null && value !== '') out[key] = this.cipher.encrypt(JSON.stringify(value));
      else out[key] = this.mapStrings(value, (s) => (carriesPassword(s) ? this.cipher.encrypt(s) : s));
    }
    return out;
  }

  /** Stored config → clear config (for connection tests and runs only). */
  reveal(stored: ConnectorConfig): ConnectorConfig {
    const out: ConnectorConfig = {};
    for (const [key, value] of Object.entries(stored)) {
      if (this.isSecret(key) && SecretCipher.isEncrypted(value))
        out[key] = JSON.parse(this.cipher.decrypt(value)) as unknown;
      else out[key] = this.mapStrings(value, (s) => (SecretCipher.isEncrypted(s) ? this.cipher.decrypt(s) : s));
    }
    return out;
  }

  /** Stored config → what responses, exports and logs show. */
  mask(stored: ConnectorConfig): ConnectorConfig {
    const out: ConnectorConfig = {};
    for (const [key, value] of Object.entries(stored)) {
      if (this.isSecret(key)) out[key] = value === null || value === '' ? value : MASK;
      else
        out[key] = this.mapStrings(value, (s) =>
          SecretCipher.isEncrypted(s) ? this.maskEncryptedUri(s) : maskUriPassword(s),
        );
    }
    return out;
  }

  /**
   * Merges an incoming (partial) config over the stored one, key by key, and returns the clear
   * result: `null` removes a key, `"******"` keeps the stored secret, and a URI sent back with its
   * password masked keeps the stored URI. A kept secret must stay with its address: when an
   * addressing field changes, a secret not sent again is refused (400 naming `path`.field), for
   * every caller alike (update, test, import, templates, REST and gRPC).
   */
  merge(stored: ConnectorConfig, incoming: ConnectorConfig, path = 'config'): ConnectorConfig {
    const current = this.reveal(stored);
    const out: ConnectorConfig = { ...current };
    for (const [key, value] of Object.entries(incoming)) {
      if (value === null) delete out[key];
      else if (value === MASK && this.isSecret(key)) continue;
      else out[key] = this.keepMaskedUris(value, current[key]);
    }
    refuseSecretsToNewTarget(this.spec, current, incoming, out, path);
    return out;
  }

  /** Names of fields still holding a mask instead of a secret (e.g. an exported config). */
  unresolvedMasks(clear: ConnectorConfig): string[] {
    return Object.entries(clear)
      .filter(([key, value]) => (this.isSecret(key) && value === MASK) || this.someString(value, carriesMaskedPassword))
      .map(([key]) => key);
  }

  /**
   * Names of non-secret fields carrying a credential (`http://u:pw@host`, `password=…`). Such
   * values are refused on input: the credential belongs in the type's secret field, where it is
   * masked everywhere (audit records mask by field name and would not see it inside a URI).
   */
  embeddedPasswords(incoming: ConnectorConfig): string[] {
    return embeddedCredentialFields(incoming, (key) => this.isSecret(key));
  }

  /** Names of the secret fields of the type. */
  secretFields(): string[] {
    return [...this.secretNames];
  }

  /** Removes secret fields that hold only the mask; returns the names removed. */
  dropMaskedSecrets(clear: ConnectorConfig): { config: ConnectorConfig; dropped: string[] } {
    const config: ConnectorConfig = {};
    const dropped: string[] = [];
    for (const [key, value] of Object.entries(clear)) {
      if (this.isSecret(key) && value === MASK) dropped.push(key);
      else config[key] = value;
    }
    return { config, dropped };
  }

  private maskEncryptedUri(stored: string): string {
    try {
      return maskUriPassword(this.cipher.decrypt(stored));
    } catch {
      return MASK;
    }
  }

  private keepMaskedUris(value: unknown, current: unknown): unknown {
    const candidates = (Array.isArray(current) ? current : [current]).filter((c): c is string => typeof c === 'string');
    return this.mapStrings(value, (s) =>
      carriesMaskedPassword(s) ? (candidates.find((c) => maskUriPassword(c) === s) ?? s) : s,
    );
  }

  private mapStrings(value: unknown, fn: (s: string) => string): unknown {
    if (typeof value === 'string') return fn(value);
    if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? fn(v) : v));
    return value;
  }

  private someString(value: unknown, test: (s: unknown) => boolean): boolean {
    return Array.isArray(value) ? value.some(test) : test(value);
  }
}

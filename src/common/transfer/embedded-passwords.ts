import { DomainException } from '../errors/domain.exception';
import { ErrorReason } from '../errors/error-reason';
import { MASK } from '../redact';
import { isRecord } from './import-document';

// `scheme://userinfo@…`: a user, a user and password, or a token before the host.
const URL_USERINFO = /[a-z][a-z0-9+.-]*:\/\/([^/?#@\s]+)@/gi;
// `password=…`, `;Pwd=…`, `?token=…`: a credential as a parameter of a query or connection string.
const CREDENTIAL_PARAMETER =
  /(?:^|[?&;,\s])(?:password|passwd|pwd|pass|secret|secret_key|secretkey|token|access_token|auth_token|api_key|apikey|sasl_password)\s*=\s*[^&;,\s]/i;

/**
 * True when a string carries a credential: URL userinfo or a password-like parameter. A userinfo
 * whose password is the mask (`u:******@`) is a stored URI sent back as shown, not a credential.
 */
export function carriesCredential(value: string): boolean {
  for (const match of value.matchAll(URL_USERINFO)) {
    if (!match[1].endsWith(`:${MASK}`)) return true;
  }
  return CREDENTIAL_PARAMETER.test(value);
}

function someString(value: unknown, test: (s: string) => boolean): boolean {
  if (typeof value === 'string') return test(value);
  if (Array.isArray(value)) return value.some((v) => someString(v, test));
  if (isRecord(value)) return Object.values(value).some((v) => someString(v, test));
  return false;
}

/** Names of the non-secret fields of a config that carry a credential. */
export function embeddedCredentialFields(
  config: Record<string, unknown>,
  isSecret: (field: string) => boolean,
): string[] {
  return Object.entries(config)
    .filter(([field, value]) => !isSecret(field) && someString(value, carriesCredential))
    .map(([field]) => field);
}

function refusal(path: string, fields: string[], secretFields: string[], nothingWhat: string): DomainException {
  const where =
    secretFields.length > 0 ? secretFields.map((f) => `${path}.${f}`).join(' or ') : "the type's secret field";
  return new DomainException(
    ErrorReason.CredentialInPlainField,
    `${path}.${fields[0]} carries a credential (a user or password in a URL, or a password= parameter): use the secret field`,
    `${nothingWhat} Remove it from ${fields.map((f) => `${path}.${f}`).join(', ')} and set it in ${where}, which is encrypted and masked everywhere.`,
  );
}

/**
 * The one check of credentials in non-secret fields, for every way a config comes in (create,
 * update, test, import, templates): such a value would be stored, shown and audited in clear.
 */
export function refuseEmbeddedCredentials(
  config: Record<string, unknown>,
  at: { path: string; isSecret: (field: string) => boolean; secretFields: string[] },
): void {
  const fields = embeddedCredentialFields(config, at.isSecret);
  if (fields.length > 0) throw refusal(at.path, fields, at.secretFields, 'Nothing was saved.');
}

/**
 * The same check over a whole import document. One offending item fails the whole request (not
 * just the item): the request body is audited by field name and would keep it in clear.
 * `secretsOf` gives a type's secret fields, or undefined for a type it does not know (item checks
 * report that).
 */
export function refuseEmbeddedPasswords(
  items: unknown[],
  at: { listKey: string; configKey: string },
  secretsOf: (type: string) => string[] | undefined,
): void {
  for (const [index, raw] of items.entries()) {
    if (!isRecord(raw)) continue;
    const type = raw.type;
    const config = raw[at.configKey];
    if (typeof type !== 'string' || !isRecord(config)) continue;
    const secretFields = secretsOf(type);
    if (!secretFields) continue;
    const fields = embeddedCredentialFields(config, (f) => secretFields.includes(f));
    if (fields.length > 0)
      throw refusal(`${at.listKey}[${index}].${at.configKey}`, fields, secretFields, 'Nothing was imported.');
  }
}

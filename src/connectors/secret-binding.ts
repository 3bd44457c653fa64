import { ConfigField, ConnectorConfig, withDefaults } from '@app/connectors';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorReason } from '../common/errors/error-reason';
import { MASK } from '../common/redact';
import { carriesCredential } from '../common/transfer/embedded-passwords';

const isSet = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

// Addressing fields hold strings, numbers, booleans or string lists: JSON compares them exactly.
const same = (a: unknown, b: unknown): boolean =>
  JSON.stringify(isSet(a) ? a : null) === JSON.stringify(isSet(b) ? b : null);

/**
 * Addressing fields (see ConfigField.addressing) whose value after the merge differs from the
 * stored one, defaults applied to both (so a port left at its default and the same port written out
 * compare equal). A field the stored config leaves unset binds too: a secret stored without an
 * address (a template without a host) must not go to whichever address a caller adds later.
 */
export function changedAddressingFields(
  spec: readonly ConfigField[],
  current: ConnectorConfig,
  merged: ConnectorConfig,
): string[] {
  const before = withDefaults(spec, current);
  const after = withDefaults(spec, merged);
  return spec.filter((f) => f.addressing && !same(before[f.name], after[f.name])).map((f) => f.name);
}

/**
 * Stored secrets the merge would carry over without the request sending them: secret fields sent
 * as "******" or left out, and (in configs stored before credentials in URLs were refused) a URL
 * with its password, sent back masked or left out.
 */
export function carriedSecretFields(
  spec: readonly ConfigField[],
  current: ConnectorConfig,
  incoming: ConnectorConfig,
): string[] {
  const secret = new Set(spec.filter((f) => f.secret).map((f) => f.name));
  return Object.entries(current)
    .filter(([field, value]) => {
      const sent = incoming[field];
      if (secret.has(field)) return isSet(value) && (sent === undefined || sent === MASK);
      const holdsCredential = (Array.isArray(value) ? value : [value]).some(
        (v) => typeof v === 'string' && carriesCredential(v),
      );
      return holdsCredential && (sent === undefined || JSON.stringify(sent).includes(MASK));
    })
    .map(([field]) => field);
}

/**
 * Refuses a merge that would send a stored secret to another server than the one it was stored
 * for: when an addressing field changes, "******" or an omitted secret no longer stands for the
 * stored one, and the request must carry the secret again. `path` names the request's config
 * object (`config`, `config_template`, `config_overrides`).
 */
export function refuseSecretsToNewTarget(
  spec: readonly ConfigField[],
  current: ConnectorConfig,
  incoming: ConnectorConfig,
  merged: ConnectorConfig,
  path: string,
): void {
  const changed = changedAddressingFields(spec, current, merged);
  if (changed.length === 0) return;
  const carried = carriedSecretFields(spec, current, incoming);
  if (carried.length === 0) return;
  const names = (fields: string[]) => fields.map((f) => `${path}.${f}`).join(', ');
  throw new DomainException(
    ErrorReason.SecretNotResent,
    `${path}.${carried[0]} must be sent again: ${names(changed)} differs from the stored value`,
    `A stored secret is only kept ("${MASK}" or left out) while the address it was given for stays the same. ` +
      `Send ${names(carried)} again with the new ${names(changed)}, or keep the stored address.`,
  );
}

import { DomainException } from '../errors/domain.exception';
import { isRecord } from './import-document';

/**
 * A password inside a URI of a non-secret field fails the whole request (not just the item): the
 * request body is audited by field name and would keep it in clear. `embeddedPasswordsOf` names the
 * offending fields of one config (none for a type it does not know; item checks report that).
 */
export function refuseEmbeddedPasswords(
  items: unknown[],
  at: { listKey: string; configKey: string },
  embeddedPasswordsOf: (type: string, config: Record<string, unknown>) => string[],
): void {
  for (const [index, raw] of items.entries()) {
    if (!isRecord(raw)) continue;
    const type = raw.type;
    const config = raw[at.configKey];
    if (typeof type !== 'string' || !isRecord(config)) continue;
    const fields = embeddedPasswordsOf(type, config);
    if (fields.length > 0) {
      throw DomainException.invalid(
        `${at.listKey}[${index}].${at.configKey}.${fields[0]} embeds a password in a URI`,
        "Nothing was imported. Move the password into the type's secret field, which is encrypted and masked.",
      );
    }
  }
}

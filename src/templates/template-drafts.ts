import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ConnectorConfig, validateConfig } from '@app/connectors';
import { Principal } from '../auth/role';
import { newId } from '../common/ids';
import { MASK } from '../common/redact';
import { refuseEmbeddedCredentials } from '../common/transfer/embedded-passwords';
import { ConfigSecrets } from '../connectors/config-secrets';
import { ConnectorsService } from '../connectors/connectors.service';
import { TemplateEntity } from './template.entity';
import { TemplateException } from './template.exception';

export interface NewTemplateInput {
  name: string;
  type: string;
  description?: string | null;
  config_template: ConnectorConfig;
}

export interface TemplateChanges {
  description?: string;
  config_template?: ConnectorConfig;
}

/**
 * Turns requests into template rows to store, with every check a write needs: a supported type,
 * no password inside a URI, no mask where a secret belongs, fields that fit the type, secrets
 * sealed. Shared by create, update and import so they cannot drift.
 */
@Injectable()
export class TemplateDrafts {
  constructor(
    @InjectRepository(TemplateEntity) private readonly repo: Repository<TemplateEntity>,
    private readonly connectors: ConnectorsService,
  ) {}

  secretsOf(type: string): ConfigSecrets {
    if (!this.connectors.registry.has(type))
      throw TemplateException.unsupportedType(
        type,
        this.connectors.registry.list().map((d) => d.type),
      );
    return this.connectors.secretsOf(type);
  }

  /** Throws 400 when a non-secret field carries a credential; `path` names the request's config object. */
  refuseEmbeddedPasswords(secrets: ConfigSecrets, incoming: ConnectorConfig, path = 'config_template'): void {
    refuseEmbeddedCredentials(incoming, {
      path,
      isSecret: (f) => secrets.isSecret(f),
      secretFields: secrets.secretFields(),
    });
  }

  /**
   * A new user template (not stored). A "******" secret is refused, as there is no stored secret
   * for it to keep, unless `dropMaskedSecrets` leaves it unset with a warning (imports of exports).
   */
  draftNew(
    input: NewTemplateInput,
    actor: Principal | undefined,
    options: { dropMaskedSecrets?: boolean } = {},
  ): { row: TemplateEntity; warnings: string[] } {
    const secrets = this.secretsOf(input.type);
    this.refuseEmbeddedPasswords(secrets, input.config_template);
    let clear = withoutNulls(input.config_template);
    const warnings: string[] = [];
    if (options.dropMaskedSecrets) {
      const { config, dropped } = secrets.dropMaskedSecrets(clear);
      clear = config;
      for (const field of dropped)
        warnings.push(
          `config_template.${field} was "${MASK}" and was left unset: set it here or when applying the template`,
        );
    }
    this.checkPartial(input.type, secrets, clear);
    const now = new Date();
    const row = this.repo.create({
      id: newId('tpl'),
      name: input.name,
      type: input.type as TemplateEntity['type'],
      description: input.description ?? null,
      configTemplate: JSON.stringify(secrets.seal(clear)),
      isSystem: false,
      createdBy: actor?.id ?? null,
      createdAt: now,
      updatedAt: now,
    });
    return { row, warnings };
  }

  /**
   * The column changes of a partial update of a user template; config_template is merged key by key
   * ("******" keeps the stored secret, unless an addressing field changes).
   */
  draftUpdate(row: TemplateEntity, input: TemplateChanges): Partial<TemplateEntity> {
    if (row.isSystem) throw TemplateException.readOnly(row.name);
    const changes: Partial<TemplateEntity> = { updatedAt: new Date() };
    if (input.description !== undefined) changes.description = input.description;
    if (input.config_template !== undefined) {
      const secrets = this.secretsOf(row.type);
      this.refuseEmbeddedPasswords(secrets, input.config_template);
      const merged = secrets.merge(storedConfigOf(row), input.config_template, 'config_template');
      this.checkPartial(row.type, secrets, merged);
      changes.configTemplate = JSON.stringify(secrets.seal(merged));
    }
    return changes;
  }

  /** Stored config_template with secrets masked, as responses and exports show it. */
  maskedConfig(row: TemplateEntity): ConnectorConfig {
    return this.connectors.registry.has(row.type) ? this.connectors.secretsOf(row.type).mask(storedConfigOf(row)) : {};
  }

  /** A template may leave out required fields (filled when applied), but what it holds must fit the type. */
  private checkPartial(type: string, secrets: ConfigSecrets, clear: ConnectorConfig): void {
    const masked = secrets.unresolvedMasks(clear);
    if (masked.length > 0) throw TemplateException.maskedSecret(masked);
    const problems = validateConfig(this.connectors.registry.get(type).configSpec, clear).filter((p) =>
      Object.prototype.hasOwnProperty.call(clear, p.field),
    );
    if (problems.length > 0) throw TemplateException.invalidConfig(type, problems);
  }
}

export function storedConfigOf(row: TemplateEntity): ConnectorConfig {
  return JSON.parse(row.configTemplate) as ConnectorConfig;
}

function withoutNulls(config: ConnectorConfig): ConnectorConfig {
  return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== null && v !== undefined));
}

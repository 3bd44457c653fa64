import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ConnectorConfig, DATA_SOURCE_TYPES, validateConfig } from '@app/connectors';
import { SecretCipher } from '../common/crypto/secret-cipher';
import { DomainException } from '../common/errors/domain.exception';
import { newId } from '../common/ids';
import { MASK, redactSecrets } from '../common/redact';
import { refuseEmbeddedCredentials } from '../common/transfer/embedded-passwords';
import { ConfigSecrets } from '../connectors/config-secrets';
import { ConnectorsService } from '../connectors/connectors.service';
import { Principal } from '../auth/role';
import { DataSourceEntity, DataSourceStatus } from './data-source.entity';
import { DataSourceException } from './data-source.exception';
import { storedConfigOf, toDataSourceDto } from './data-source.mapper';
import { DataSourceDto } from './dto/data-source.dto';

export interface NewDataSourceInput {
  name: string;
  type: string;
  description?: string | null;
  config: ConnectorConfig;
  tags?: string[];
  status?: DataSourceStatus;
}

export interface DataSourceChanges {
  name?: string;
  description?: string;
  config?: ConnectorConfig;
  tags?: string[];
}

export interface UpdateDraft {
  changes: Partial<DataSourceEntity>;
  configChanged: boolean;
}

/** JSON with sorted keys, so two configs compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function withoutNulls(config: ConnectorConfig): ConnectorConfig {
  return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== null && v !== undefined));
}

/**
 * Turns requests into rows to store, with every check a write needs: a supported type, a config
 * valid for it, no mask where a secret belongs, secrets sealed. Shared by create, update, import
 * and templates so they cannot drift.
 */
@Injectable()
export class DataSourceDrafts {
  constructor(
    @InjectRepository(DataSourceEntity) private readonly repo: Repository<DataSourceEntity>,
    private readonly connectors: ConnectorsService,
  ) {}

  secretsOf(type: string): ConfigSecrets {
    if (!this.connectors.registry.has(type)) {
      throw DataSourceException.unsupportedType(
        type,
        this.connectors.registry.list().map((d) => d.type),
      );
    }
    return this.connectors.secretsOf(type);
  }

  /** Throws 400 when a non-secret field of the input carries a credential (URL userinfo, `password=`). */
  refuseEmbeddedPasswords(secrets: ConfigSecrets, incoming: ConnectorConfig): void {
    refuseEmbeddedCredentials(incoming, {
      path: 'config',
      isSecret: (f) => secrets.isSecret(f),
      secretFields: secrets.secretFields(),
    });
  }

  /** Throws 400 naming every field that does not fit the type's spec. */
  validate(type: string, clear: ConnectorConfig): void {
    const problems = validateConfig(this.connectors.registry.get(type).configSpec, clear);
    if (problems.length > 0) throw DataSourceException.invalidConfig(type, problems);
  }

  /** A new row (not stored). `dropMaskedSecrets` turns masked secrets into warnings (imports of exports). */
  draftNew(
    input: NewDataSourceInput,
    actor: Principal | undefined,
    options: { dropMaskedSecrets?: boolean } = {},
  ): { row: DataSourceEntity; warnings: string[] } {
    if (!(DATA_SOURCE_TYPES as readonly string[]).includes(input.type))
      throw DataSourceException.unsupportedType(input.type, [...DATA_SOURCE_TYPES]);
    const secrets = this.secretsOf(input.type);
    this.refuseEmbeddedPasswords(secrets, input.config);
    let clear = withoutNulls(input.config);
    const warnings: string[] = [];
    if (options.dropMaskedSecrets) {
      const { config, dropped } = secrets.dropMaskedSecrets(clear);
      clear = config;
      for (const field of dropped)
        warnings.push(`config.${field} was "${MASK}" and was left unset: set it before testing`);
    }
    const masked = secrets.unresolvedMasks(clear);
    if (masked.length > 0) throw DataSourceException.maskedSecret(masked);
    this.validate(input.type, clear);
    const now = new Date();
    const row = this.repo.create({
      id: newId('ds'),
      name: input.name,
      type: input.type as DataSourceEntity['type'],
      description: input.description ?? null,
      status: input.status === 'inactive' ? 'inactive' : 'active',
      config: JSON.stringify(secrets.seal(clear)),
      configVersion: 1,
      tags: JSON.stringify([...new Set(input.tags ?? [])]),
      lastTestAt: null,
      lastLatencyMs: null,
      lastError: null,
      statusChangedAt: now,
      createdBy: actor?.id ?? null,
      createdAt: now,
      updatedAt: now,
    });
    return { row, warnings };
  }

  /** The column changes of a partial update; the config is merged key by key and re-sealed only if it changed. */
  draftUpdate(row: DataSourceEntity, input: DataSourceChanges): UpdateDraft {
    const changes: Partial<DataSourceEntity> = { updatedAt: new Date() };
    if (input.name !== undefined && input.name !== row.name) changes.name = input.name;
    if (input.description !== undefined) changes.description = input.description;
    if (input.tags !== undefined) changes.tags = JSON.stringify([...new Set(input.tags)]);
    let configChanged = false;
    if (input.config !== undefined) {
      const secrets = this.secretsOf(row.type);
      this.refuseEmbeddedPasswords(secrets, input.config);
      const stored = storedConfigOf(row);
      let current: ConnectorConfig;
      let merged: ConnectorConfig;
      try {
        current = secrets.reveal(stored);
        merged = secrets.merge(stored, input.config);
      } catch (err) {
        if (err instanceof DomainException) throw err;
        throw DataSourceException.secretsUnreadable(row.id);
      }
      const masked = secrets.unresolvedMasks(merged);
      if (masked.length > 0) throw DataSourceException.maskedSecret(masked);
      this.validate(row.type, merged);
      if (canonical(merged) !== canonical(current)) {
        changes.config = JSON.stringify(secrets.seal(merged));
        configChanged = true;
      }
    }
    return { changes, configChanged };
  }

  /** The clear config a test or run uses. */
  reveal(row: DataSourceEntity): ConnectorConfig {
    try {
      return this.secretsOf(row.type).reveal(storedConfigOf(row));
    } catch (err) {
      if (err instanceof DataSourceException) throw err;
      throw DataSourceException.secretsUnreadable(row.id);
    }
  }

  /** A config sent to test before saving, merged over a saved source's when given. */
  clearConfigForTest(type: string, config: ConnectorConfig, saved?: DataSourceEntity): ConnectorConfig {
    const secrets = this.secretsOf(type);
    this.refuseEmbeddedPasswords(secrets, config);
    let clear: ConnectorConfig;
    if (saved) {
      try {
        clear = secrets.merge(storedConfigOf(saved), config);
      } catch (err) {
        if (err instanceof DomainException) throw err;
        throw DataSourceException.secretsUnreadable(saved.id);
      }
    } else clear = withoutNulls(config);
    const masked = secrets.unresolvedMasks(clear);
    if (masked.length > 0) throw DataSourceException.maskedSecret(masked);
    this.validate(type, clear);
    return clear;
  }

  /** Stored config with secrets masked; a type this build lacks still never shows a secret. */
  maskedConfig(row: DataSourceEntity): ConnectorConfig {
    const stored = storedConfigOf(row);
    if (this.connectors.registry.has(row.type)) return this.connectors.secretsOf(row.type).mask(stored);
    const redacted = redactSecrets(stored);
    return Object.fromEntries(Object.entries(redacted).map(([k, v]) => [k, SecretCipher.isEncrypted(v) ? MASK : v]));
  }

  toDto(row: DataSourceEntity): DataSourceDto {
    return toDataSourceDto(row, this.maskedConfig(row));
  }
}

import { ConfigProblem } from '@app/connectors';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorReason } from '../common/errors/error-reason';

/** Errors of the data sources feature, each with the envelope code it maps to. */
export class DataSourceException extends DomainException {
  static notFound(id: string): DataSourceException {
    return new DataSourceException(ErrorReason.DataSourceNotFound, `Data source ${id} not found`);
  }

  static nameTaken(name: string): DataSourceException {
    return new DataSourceException(
      ErrorReason.DataSourceNameTaken,
      `A data source named "${name}" already exists`,
      'Data source names are unique; pick another name.',
    );
  }

  static unsupportedType(type: string, known: string[]): DataSourceException {
    return new DataSourceException(
      ErrorReason.UnsupportedDataSourceType,
      `type "${type}" is not a supported data source type`,
      `Supported types: ${known.join(', ')}`,
    );
  }

  static invalidConfig(type: string, problems: ConfigProblem[]): DataSourceException {
    const first = problems[0];
    return new DataSourceException(
      ErrorReason.InvalidConfig,
      `Invalid ${type} config: config.${first.field} ${first.message}`,
      problems.map((p) => `config.${p.field}: ${p.message}`).join('; '),
    );
  }

  static maskedSecret(fields: string[]): DataSourceException {
    return new DataSourceException(
      ErrorReason.MaskedSecret,
      `config.${fields[0]} holds the mask "******" instead of a secret`,
      `Send the real value of ${fields.map((f) => `config.${f}`).join(', ')}; "******" only keeps a secret that is already stored.`,
    );
  }

  static inUse(name: string, dependents: Array<{ kind: string; id: string; name: string }>): DataSourceException {
    const listed = dependents.map((d) => `${d.name} (${d.id})`).join(', ');
    const kinds = [...new Set(dependents.map((d) => d.kind))].join(', ');
    return new DataSourceException(
      ErrorReason.DataSourceInUse,
      `Data source "${name}" is used by ${dependents.length} ${kinds}: ${listed}`,
      `Delete these ${kinds} or point them at another data source first.`,
    );
  }

  static secretsUnreadable(id: string): DataSourceException {
    return new DataSourceException(
      ErrorReason.SecretsUnreadable,
      `The stored secrets of data source ${id} cannot be decrypted`,
      'ENCRYPTION_KEY differs from the key they were stored with; restore that key or set the secrets again.',
    );
  }
}

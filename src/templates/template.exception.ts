import { ConfigProblem } from '@app/connectors';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorReason } from '../common/errors/error-reason';

export class TemplateException extends DomainException {
  static notFound(id: string): TemplateException {
    return new TemplateException(ErrorReason.TemplateNotFound, `Template ${id} not found`);
  }

  static nameTaken(type: string, name: string): TemplateException {
    return new TemplateException(
      ErrorReason.TemplateNameTaken,
      `A ${type} template named "${name}" already exists`,
      'Template names are unique per type; pick another name.',
    );
  }

  static readOnly(name: string): TemplateException {
    return new TemplateException(
      ErrorReason.TemplateReadOnly,
      `Template "${name}" is a built-in system template and cannot be changed or deleted`,
      'Create a template of your own with its config_template instead.',
    );
  }

  static builtInImported(name: string): TemplateException {
    return new TemplateException(
      ErrorReason.BuiltInTemplateImport,
      `Template "${name}" is marked is_system: built-in templates cannot be imported`,
      'Every installation has its own built-in templates; import it as a user template (is_system false or left out) under another name.',
    );
  }

  static unsupportedType(type: string, known: string[]): TemplateException {
    return new TemplateException(
      ErrorReason.UnsupportedDataSourceType,
      `type "${type}" is not a supported data source type`,
      `Supported types: ${known.join(', ')}`,
    );
  }

  static invalidConfig(type: string, problems: ConfigProblem[]): TemplateException {
    const first = problems[0];
    return new TemplateException(
      ErrorReason.InvalidConfig,
      `Invalid ${type} config_template: config_template.${first.field} ${first.message}`,
      problems.map((p) => `config_template.${p.field}: ${p.message}`).join('; '),
    );
  }

  static maskedSecret(fields: string[]): TemplateException {
    return new TemplateException(
      ErrorReason.MaskedSecret,
      `config_template.${fields[0]} holds the mask "******" instead of a secret`,
      '"******" only keeps a secret that is already stored.',
    );
  }
}

import Ajv2020, { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { LineageException } from '../lineage.exception';
import { OlDatasetEvent, OlEvent, OlJobEvent, OlRunEvent } from './openlineage-event';
import schema from './OpenLineage.json';

const SCHEMA_ID = 'https://openlineage.io/spec/2-0-2/OpenLineage.json';
type Kind = OlEvent['kind'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Which of the three events a body means to be: a run makes it a RunEvent, a dataset a DatasetEvent. */
function kindOf(body: Record<string, unknown>): Kind {
  if ('run' in body) return 'RunEvent';
  if ('dataset' in body) return 'DatasetEvent';
  return 'JobEvent';
}

/** `/run/runId must match format "uuid"`: where the event breaks the schema, and how. */
function describe(error: ErrorObject): string {
  const where = error.instancePath || '(event)';
  if (error.keyword === 'required') return `${where} must have property "${String(error.params.missingProperty)}"`;
  if (error.keyword === 'enum')
    return `${where} must be one of ${(error.params.allowedValues as unknown[]).map(String).join(', ')}`;
  if (error.keyword === 'not') return `${where} must not carry both a run and a dataset (or a job with a dataset)`;
  return `${where} ${error.message ?? 'is invalid'}`;
}

/**
 * Validates events against the vendored OpenLineage 2-0-2 JSON Schema (any 2-0-x event passes it):
 * the event is checked as the one kind it claims by shape, so the error names that kind's rule.
 */
export class OpenLineageValidator {
  private readonly validators: Record<Kind, ValidateFunction>;

  constructor() {
    const ajv = new Ajv2020({ allErrors: false, strict: false });
    addFormats(ajv);
    ajv.addSchema(schema, SCHEMA_ID);
    const get = (kind: Kind) => ajv.getSchema(`${SCHEMA_ID}#/$defs/${kind}`)!;
    this.validators = { RunEvent: get('RunEvent'), JobEvent: get('JobEvent'), DatasetEvent: get('DatasetEvent') };
  }

  /** The typed event, or LINEAGE_EVENT_INVALID naming the first violation. */
  validate(body: unknown): OlEvent {
    if (!isObject(body)) throw LineageException.eventInvalid('the body must be a JSON object');
    const kind = kindOf(body);
    const validate = this.validators[kind];
    if (!validate(body)) {
      const errors = validate.errors ?? [];
      throw LineageException.eventInvalid(
        `${kind}: ${errors.length > 0 ? describe(errors[0]) : 'does not match the schema'}`,
        `Validated against ${SCHEMA_ID}#/$defs/${kind}`,
      );
    }
    if (kind === 'RunEvent') return { kind, event: body as unknown as OlRunEvent };
    if (kind === 'JobEvent') return { kind, event: body as unknown as OlJobEvent };
    return { kind, event: body as unknown as OlDatasetEvent };
  }
}

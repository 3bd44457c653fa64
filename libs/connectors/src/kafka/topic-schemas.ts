/**
 * A topic's key and value schemas: from the Schema Registry by the topic-name strategy
 * (`<topic>-key`, `<topic>-value`), the topic-record-name strategy (`<topic>-<record>`), and the
 * record-name strategy (`<record>`, found through the schema ids of Confluent-framed messages);
 * else inferred from a bounded sample of the latest messages (JSON), else the payload format.
 */
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { CatalogField } from '../core/types';
import { inferDocuments } from '../minio/sample-schema';
import { SampledMessage, TopicSample } from './message-sampler';
import { SchemaField } from './schema-field';
import { schemaFields } from './schema-fields';
import { SchemaById, SchemaReference, SchemaRegistryClient, SchemaType } from './schema-registry';
import { confluentFrame, payloadFormat } from './wire-format';

export type Part = 'key' | 'value';
export type Strategy = 'topic_name' | 'topic_record_name' | 'record_name';

/** What the registry says about one subject of a topic. */
export interface SubjectInfo {
  part: Part;
  subject: string;
  strategy: Strategy;
  versions: number[];
}

export interface PartSchema {
  source: 'registry' | 'sample' | 'none';
  subject?: string;
  strategy?: Strategy;
  schema_id?: number;
  schema_type?: SchemaType;
  latest_version?: number;
  version_count?: number;
  compatibility?: string | null;
  error?: string;
}

export interface TopicSchemas {
  fields: CatalogField[];
  key: PartSchema;
  value: PartSchema;
  /** The sample read, with the payload formats seen per part (json, confluent, text, binary, null). */
  sample?: {
    messages: number;
    bytes: number;
    truncated: boolean;
    key_formats?: Record<string, number>;
    value_formats?: Record<string, number>;
  };
}

/** The subjects the topic-name and topic-record-name strategies give a topic, from the subject list. */
export function subjectsOfTopic(topic: string, allSubjects: readonly string[]): Array<Omit<SubjectInfo, 'versions'>> {
  const found: Array<Omit<SubjectInfo, 'versions'>> = [];
  for (const subject of allSubjects) {
    if (subject === `${topic}-key`) found.push({ part: 'key', subject, strategy: 'topic_name' });
    else if (subject === `${topic}-value`) found.push({ part: 'value', subject, strategy: 'topic_name' });
    else if (subject.startsWith(`${topic}-`) && subject.length > topic.length + 1) {
      // `<topic>-<record full name>` names the record, not the part: values by far the most often.
      found.push({ part: 'value', subject, strategy: 'topic_record_name' });
    }
  }
  return found.sort((a, b) =>
    a.strategy === b.strategy ? a.subject.localeCompare(b.subject) : a.strategy < b.strategy ? -1 : 1,
  );
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

const isCancellation = (err: unknown): boolean =>
  err instanceof ConnectorError &&
  (err.code === ConnectorErrorCode.Cancelled || err.code === ConnectorErrorCode.Timeout);

/** Registry schema → fields with their texts of references loaded. */
async function fieldsOfSchema(
  registry: SchemaRegistryClient,
  schema: SchemaById,
  signal: AbortSignal,
): Promise<SchemaField[]> {
  const refs = await referenceTexts(registry, schema.references ?? [], signal, 0);
  return schemaFields(schema.schemaType ?? 'AVRO', schema.schema, refs);
}

async function referenceTexts(
  registry: SchemaRegistryClient,
  refs: readonly SchemaReference[],
  signal: AbortSignal,
  depth: number,
): Promise<string[]> {
  if (depth > 8) return [];
  const texts: string[] = [];
  for (const ref of refs) {
    const v = await registry.version(ref.subject, ref.version, signal);
    // Dependencies first: a referenced schema may itself reference others.
    texts.push(...(await referenceTexts(registry, v.references ?? [], signal, depth + 1)), v.schema);
  }
  return texts;
}

function toCatalogFields(part: Part, fields: readonly SchemaField[], start: number): CatalogField[] {
  // Value fields keep their own paths; key fields are set apart under `[key]`, a name no schema can declare.
  return fields.map((f, i) => {
    const path = part === 'key' ? (f.path ? `[key].${f.path}` : '[key]') : f.path || '[value]';
    return {
      name: path,
      ordinal: start + i + 1,
      dataType: f.type,
      nullable: f.nullable,
      default: f.default,
      comment: f.doc,
      ...(path.includes('.') || path.includes('[') ? { path } : {}),
      properties: { part },
    };
  });
}

/** The message bodies of one part, Confluent frames read, payload formats counted. */
function framesOf(messages: readonly SampledMessage[], part: Part) {
  const formats: Record<string, number> = {};
  const framedIds: number[] = [];
  const json: Record<string, unknown>[] = [];
  const bump = (k: string) => (formats[k] = (formats[k] ?? 0) + 1);
  for (const m of messages) {
    const data = part === 'key' ? m.key : m.value;
    if (!data || data.length === 0) {
      bump('null');
      continue;
    }
    const frame = confluentFrame(data);
    if (frame) {
      bump('confluent');
      framedIds.push(frame.schemaId);
      continue;
    }
    const format = payloadFormat(data);
    bump(format);
    if (format === 'json') {
      const parsed: unknown = JSON.parse(data.toString('utf8'));
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        json.push(parsed as Record<string, unknown>);
    }
  }
  return { formats, framedIds, json };
}

export interface SchemaReaders {
  registry?: SchemaRegistryClient;
  /** The latest messages, or null when sampling is off. */
  sample?: () => Promise<TopicSample>;
}

/** Reads one part's schema from the registry subjects found for it. */
async function registryPart(
  registry: SchemaRegistryClient,
  info: SubjectInfo,
  signal: AbortSignal,
): Promise<{ schema: PartSchema; fields: SchemaField[] }> {
  const latest = await registry.version(info.subject, 'latest', signal);
  const compatibility = await registry.compatibility(info.subject, signal);
  const schema: PartSchema = {
    source: 'registry',
    subject: info.subject,
    strategy: info.strategy,
    schema_id: latest.id,
    schema_type: latest.schemaType ?? 'AVRO',
    latest_version: latest.version,
    version_count: info.versions.length,
    compatibility,
  };
  try {
    return { schema, fields: await fieldsOfSchema(registry, latest, signal) };
  } catch (err) {
    return { schema: { ...schema, error: `The schema could not be parsed: ${errorText(err)}` }, fields: [] };
  }
}

/** The schema a framed message was written with, as a record-name (or any) subject. */
async function framedPart(
  registry: SchemaRegistryClient,
  ids: readonly number[],
  signal: AbortSignal,
): Promise<{ schema: PartSchema; fields: SchemaField[] }> {
  // The most recent message's writer schema describes the topic as it is now.
  const id = ids[ids.length - 1];
  const byId = await registry.schemaById(id, signal);
  const registered = await registry.subjectsOfId(id, signal);
  const subject = registered[0];
  const schema: PartSchema = {
    source: 'registry',
    strategy: 'record_name',
    schema_id: id,
    schema_type: byId.schemaType ?? 'AVRO',
    ...(subject ? { subject: subject.subject, latest_version: subject.version } : {}),
  };
  if (subject) {
    const versions = await registry.versions(subject.subject, signal);
    schema.version_count = versions?.length;
    schema.compatibility = await registry.compatibility(subject.subject, signal);
  }
  try {
    return { schema, fields: await fieldsOfSchema(registry, byId, signal) };
  } catch (err) {
    return { schema: { ...schema, error: `The schema could not be parsed: ${errorText(err)}` }, fields: [] };
  }
}

/**
 * The topic's key and value schemas. `subjects` are what the strategies found in the registry
 * (with versions); the sample is read only for a part the registry left open.
 */
export async function readTopicSchemas(
  readers: SchemaReaders,
  subjects: readonly SubjectInfo[],
  signal: AbortSignal,
): Promise<TopicSchemas> {
  const parts: Record<Part, { schema: PartSchema; fields: SchemaField[] }> = {
    key: { schema: { source: 'none' }, fields: [] },
    value: { schema: { source: 'none' }, fields: [] },
  };
  const { registry } = readers;
  if (registry) {
    for (const part of ['key', 'value'] as const) {
      // The topic-name subject wins; several record subjects on one topic: the first by name.
      const info = subjects.find((s) => s.part === part);
      if (info) parts[part] = await registryPart(registry, info, signal);
    }
  }
  let sampleInfo: TopicSchemas['sample'];
  const open = (['key', 'value'] as const).filter((p) => parts[p].schema.source === 'none');
  if (open.length > 0 && readers.sample) {
    const sample = await readers.sample();
    sampleInfo = { messages: sample.messages.length, bytes: sample.bytes, truncated: sample.truncated };
    const info = sampleInfo;
    for (const part of open) {
      const { formats, framedIds, json } = framesOf(sample.messages, part);
      if (Object.keys(formats).length > 0) info[`${part}_formats`] = formats;
      if (framedIds.length > 0 && registry) {
        try {
          parts[part] = await framedPart(registry, framedIds, signal);
        } catch (err) {
          if (isCancellation(err)) throw err;
          parts[part] = { schema: { source: 'none', error: errorText(err) }, fields: [] };
        }
        continue;
      }
      if (json.length > 0) {
        const inferred = inferDocuments(json, 'json').fields.map((f): SchemaField => ({
          path: f.name,
          type: f.dataType,
          nullable: f.nullable,
          doc: null,
          default: null,
        }));
        parts[part] = { schema: { source: 'sample' }, fields: inferred };
      } else if (framedIds.length > 0) {
        parts[part] = {
          schema: { source: 'none', error: 'Confluent-framed messages, but no schema_registry_url to resolve them' },
          fields: [],
        };
      }
    }
  }
  const keyFields = toCatalogFields('key', parts.key.fields, 0);
  const valueFields = toCatalogFields('value', parts.value.fields, keyFields.length);
  return {
    fields: [...keyFields, ...valueFields],
    key: parts.key.schema,
    value: parts.value.schema,
    ...(sampleInfo ? { sample: sampleInfo } : {}),
  };
}

/** A registered schema of any type → flattened fields and the record name it declares. */
import { avroFields, avroRecordName } from './avro-fields';
import { jsonSchemaFields, jsonSchemaTitle } from './json-schema-fields';
import { protobufFields, protobufRecordName } from './protobuf-fields';
import { SchemaField } from './schema-field';
import { SchemaType } from './schema-registry';

export function schemaFields(type: SchemaType, schema: string, references: readonly string[] = []): SchemaField[] {
  if (type === 'JSON') return jsonSchemaFields(schema);
  if (type === 'PROTOBUF') return protobufFields(schema, references);
  return avroFields(schema, references);
}

export function recordName(type: SchemaType, schema: string, references: readonly string[] = []): string | null {
  if (type === 'JSON') return jsonSchemaTitle(schema);
  if (type === 'PROTOBUF') return protobufRecordName(schema, references);
  return avroRecordName(schema);
}

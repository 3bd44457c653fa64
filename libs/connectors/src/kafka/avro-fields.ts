/**
 * Avro schema (https://avro.apache.org/docs/1.11.1/specification/) → flattened fields. The JSON is
 * validated by avsc first (a schema avsc rejects is reported, not guessed at), then walked as JSON
 * so docs, defaults and logical types come out as written. Named types from references are known
 * by full name; a recursive type is listed once and not expanded again.
 */
import { Type } from 'avsc';
import { defaultText, joinPath, SCHEMA_LIMITS, SchemaField } from './schema-field';

type AvroSchema = string | AvroSchema[] | { [key: string]: unknown };
type Named = Record<string, unknown>;

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

function fullName(schema: Named, namespace: string | undefined): string {
  const name = String(schema.name);
  if (name.includes('.')) return name;
  const ns = typeof schema.namespace === 'string' ? schema.namespace : namespace;
  return ns ? `${ns}.${name}` : name;
}

class AvroWalker {
  readonly fields: SchemaField[] = [];
  private readonly named = new Map<string, Named>();
  private readonly expanding = new Set<string>();

  /** Registers every named type inside a schema (records, enums, fixed), as avsc would. */
  register(schema: AvroSchema, namespace?: string): void {
    if (Array.isArray(schema)) return schema.forEach((s) => this.register(s, namespace));
    if (typeof schema !== 'object' || schema === null) return;
    const type = schema.type;
    if ((type === 'record' || type === 'error' || type === 'enum' || type === 'fixed') && schema.name) {
      const name = fullName(schema, namespace);
      this.named.set(name, schema);
      const ns = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : undefined;
      if (Array.isArray(schema.fields)) {
        for (const f of schema.fields as Named[]) this.register(f.type as AvroSchema, ns);
      }
    } else if (type === 'array') this.register(schema.items as AvroSchema, namespace);
    else if (type === 'map') this.register(schema.values as AvroSchema, namespace);
    else if (typeof type === 'object') this.register(type as AvroSchema, namespace);
  }

  private resolve(schema: AvroSchema, namespace?: string): AvroSchema {
    if (typeof schema === 'string' && !PRIMITIVES.has(schema)) {
      return this.named.get(schema) ?? this.named.get(namespace ? `${namespace}.${schema}` : schema) ?? schema;
    }
    return schema;
  }

  /** A readable type name, e.g. `string`, `long(timestamp-millis)`, `array<com.acme.Line>`. */
  typeName(schema: AvroSchema, namespace?: string): string {
    if (typeof schema === 'string') {
      const named = this.resolve(schema, namespace);
      return typeof named === 'string' ? schema : this.typeName(named, namespace);
    }
    if (Array.isArray(schema)) {
      const others = schema.filter((s) => s !== 'null');
      const names = others.map((s) => this.typeName(s, namespace));
      return names.length === 1 ? names[0] : `union<${names.join(',')}>`;
    }
    const type = schema.type;
    if (typeof type === 'object' && type !== null) return this.typeName(type as AvroSchema, namespace);
    if (type === 'record' || type === 'error' || type === 'enum' || type === 'fixed') {
      const name = fullName(schema, namespace);
      return type === 'fixed' ? `fixed<${name}>(${String(schema.size)})` : `${type}<${name}>`;
    }
    if (type === 'array') return `array<${this.typeName(schema.items as AvroSchema, namespace)}>`;
    if (type === 'map') return `map<${this.typeName(schema.values as AvroSchema, namespace)}>`;
    const logical = typeof schema.logicalType === 'string' ? `(${schema.logicalType})` : '';
    return `${String(type)}${logical}`;
  }

  /** Lists a value of `schema` at `path` (when `path` is set), then what it contains. */
  walk(schema: AvroSchema, path: string, namespace: string | undefined, depth: number, nullable: boolean): void {
    if (depth > SCHEMA_LIMITS.maxDepth || this.fields.length >= SCHEMA_LIMITS.maxFields) return;
    let s = this.resolve(schema, namespace);
    let isNullable = nullable;
    if (Array.isArray(s)) {
      const others = s.filter((x) => x !== 'null');
      if (others.length !== s.length) isNullable = true;
      // A nullable single type is that type; wider unions are not expanded.
      if (others.length !== 1) return;
      s = this.resolve(others[0], namespace);
    }
    if (typeof s !== 'object' || Array.isArray(s)) return;
    const type = s.type;
    if (type === 'record' || type === 'error') {
      const name = fullName(s, namespace);
      if (this.expanding.has(name)) return;
      this.expanding.add(name);
      const ns = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : undefined;
      for (const f of (s.fields as Named[]) ?? []) {
        if (this.fields.length >= SCHEMA_LIMITS.maxFields) break;
        const fieldPath = joinPath(path, String(f.name));
        const fieldType = f.type as AvroSchema;
        const resolved = this.resolve(fieldType, ns);
        const fieldNullable =
          isNullable || (Array.isArray(resolved) && resolved.includes('null')) || resolved === 'null';
        this.fields.push({
          path: fieldPath,
          type: this.typeName(resolved, ns),
          nullable: fieldNullable,
          doc: typeof f.doc === 'string' ? f.doc : null,
          default: defaultText(f.default),
        });
        this.walk(fieldType, fieldPath, ns, depth + 1, fieldNullable);
      }
      this.expanding.delete(name);
    } else if (type === 'array' || type === 'map') {
      const inner = (type === 'array' ? s.items : s.values) as AvroSchema;
      const innerPath = `${path}${type === 'array' ? '[]' : '{}'}`;
      const resolved = this.resolve(inner, namespace);
      const expands = typeof resolved === 'object' && !Array.isArray(resolved) && resolved.type === 'record';
      if (!expands) return;
      this.walk(inner, innerPath, namespace, depth + 1, isNullable);
    }
  }
}

/**
 * Fields of an Avro schema text. `references` are the schemas it names (their texts), registered
 * first. Throws when the schema is not valid Avro.
 */
export function avroFields(schemaText: string, references: readonly string[] = []): SchemaField[] {
  const walker = new AvroWalker();
  const registry = {};
  for (const ref of references) {
    const parsed = JSON.parse(ref) as AvroSchema;
    Type.forSchema(parsed as never, { registry });
    walker.register(parsed);
  }
  const schema = JSON.parse(schemaText) as AvroSchema;
  Type.forSchema(schema as never, { registry });
  walker.register(schema);
  const resolved = typeof schema === 'string' ? schema : schema;
  const isRecord = typeof resolved === 'object' && !Array.isArray(resolved) && resolved.type === 'record';
  if (!isRecord) {
    // A primitive or union message: one field for the whole value.
    return [{ path: '', type: walker.typeName(schema), nullable: false, doc: null, default: null }];
  }
  walker.walk(schema, '', undefined, 0, false);
  return walker.fields;
}

/** The full name of a record schema (what the record-name strategies use as subject), or null. */
export function avroRecordName(schemaText: string): string | null {
  try {
    const schema = JSON.parse(schemaText) as AvroSchema;
    if (typeof schema === 'object' && !Array.isArray(schema) && schema.type === 'record' && schema.name) {
      return fullName(schema, undefined);
    }
  } catch {
    // Not JSON: no name.
  }
  return null;
}

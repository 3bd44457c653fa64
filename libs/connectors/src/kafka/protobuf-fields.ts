/**
 * Protobuf schema text → flattened fields of its first message (Confluent's default message
 * index), parsed by protobufjs. Nested message fields become paths, repeated fields `path[]`;
 * nullable are message-typed fields, proto3 `optional` and oneof members, proto2 non-required
 * fields. Leading comments are the docs; proto2 `[default = …]` the defaults.
 */
import { Enum, Field, MapField, Namespace, parse, Root, Type } from 'protobufjs';
import { defaultText, joinPath, SCHEMA_LIMITS, SchemaField } from './schema-field';

/** Parses the schema (and the files it imports, given as texts) into one root. */
function load(schemaText: string, references: readonly string[]): { root: Root; pkg: string | undefined } {
  const root = new Root();
  for (const ref of references) parse(ref, root, { keepCase: true, alternateCommentMode: true });
  const parsed = parse(schemaText, root, { keepCase: true, alternateCommentMode: true });
  root.resolveAll();
  return { root, pkg: parsed.package };
}

/** The message types declared at the top of the file, in order (`index` 0 is the first). */
function topMessages(root: Root, pkg: string | undefined): Type[] {
  const ns = pkg ? root.lookup(pkg) : root;
  if (!(ns instanceof Namespace)) return [];
  return ns.nestedArray.filter((n): n is Type => n instanceof Type);
}

function typeName(field: Field): string {
  const base = field.resolvedType ? field.resolvedType.fullName.replace(/^\./, '') : field.type;
  const kind = field.resolvedType instanceof Enum ? `enum<${base}>` : field.resolvedType ? `message<${base}>` : base;
  if (field instanceof MapField) return `map<${field.keyType},${kind}>`;
  return field.repeated ? `array<${kind}>` : kind;
}

function walk(type: Type, path: string, depth: number, out: SchemaField[], expanding: Set<string>, proto3: boolean) {
  if (depth > SCHEMA_LIMITS.maxDepth || expanding.has(type.fullName)) return;
  expanding.add(type.fullName);
  for (const field of type.fieldsArray) {
    if (out.length >= SCHEMA_LIMITS.maxFields) break;
    const fieldPath = joinPath(path, field.name);
    const isMessage = field.resolvedType instanceof Type;
    const explicitOptional = (field.options as Record<string, unknown> | undefined)?.proto3_optional === true;
    const nullable = proto3
      ? (isMessage && !field.repeated) || explicitOptional || (field.partOf !== null && !explicitOptional)
      : !field.required;
    const declaredDefault = (field.options as Record<string, unknown> | undefined)?.default;
    out.push({
      path: fieldPath,
      type: typeName(field),
      nullable,
      doc: field.comment ?? null,
      default: defaultText(declaredDefault),
    });
    if (isMessage && !(field instanceof MapField)) {
      walk(
        field.resolvedType as Type,
        field.repeated ? `${fieldPath}[]` : fieldPath,
        depth + 1,
        out,
        expanding,
        proto3,
      );
    }
  }
  expanding.delete(type.fullName);
}

/** Fields of the message at `index` (Confluent message indexes; the first message by default). */
export function protobufFields(
  schemaText: string,
  references: readonly string[] = [],
  index: readonly number[] = [0],
): SchemaField[] {
  const { root, pkg } = load(schemaText, references);
  const message = protobufMessage(root, pkg, index);
  if (!message) throw new Error('The Protobuf schema declares no message');
  const proto3 = /\bsyntax\s*=\s*["']proto3["']/.test(schemaText);
  const out: SchemaField[] = [];
  walk(message, '', 0, out, new Set(), proto3);
  return out;
}

function protobufMessage(root: Root, pkg: string | undefined, index: readonly number[]): Type | undefined {
  let candidates = topMessages(root, pkg);
  let message: Type | undefined;
  for (const i of index.length ? index : [0]) {
    message = candidates[i];
    if (!message) return undefined;
    candidates = message.nestedArray.filter((n): n is Type => n instanceof Type);
  }
  return message;
}

/** The full name of the first message (what record-name strategies use for Protobuf), or null. */
export function protobufRecordName(schemaText: string, references: readonly string[] = []): string | null {
  try {
    const { root, pkg } = load(schemaText, references);
    return topMessages(root, pkg)[0]?.fullName.replace(/^\./, '') ?? null;
  } catch {
    return null;
  }
}

import type { PackageDefinition } from '@grpc/proto-loader';
import { IConversionOptions, Message, Type, wrappers } from 'protobufjs';

/**
 * Free-form JSON (configs, properties, results, defaults) travels as google.protobuf.Struct, Value
 * and ListValue. protobufjs would hand handlers their object form (`{fields: {host: {stringValue:
 * "h"}}}`); these wrappers make them read and write as the plain JSON REST uses (`{host: "h"}`), so
 * one service method serves both transports. Each wrapper converts one level; nested levels go
 * through the wrapped converters of their own type. protobufjs applies wrappers when a type is
 * first used, so they are registered before any .proto is loaded.
 */

const STRUCT = '.google.protobuf.Struct';
const VALUE = '.google.protobuf.Value';
const LIST_VALUE = '.google.protobuf.ListValue';

// The well-known types' own converters; their shape is fixed by google/protobuf/struct.proto.
const OBJECT_FORM: IConversionOptions = {
  enums: String,
  longs: Number,
  defaults: false,
  arrays: true,
  objects: true,
  oneofs: false,
};

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Within a wrapper, `this` is the type with its original converters; its siblings are wrapped. */
function sibling(self: Type, name: string): Type {
  return self.root.lookupType(name);
}

function valueFromJson(self: Type, json: unknown): Message {
  if (json instanceof self.ctor) return json as Message;
  let kind: Record<string, unknown>;
  if (json === null || json === undefined) kind = { nullValue: 'NULL_VALUE' };
  else if (typeof json === 'boolean') kind = { boolValue: json };
  // JSON has no NaN or Infinity; JSON.stringify writes them as null.
  else if (typeof json === 'number') kind = Number.isFinite(json) ? { numberValue: json } : { nullValue: 'NULL_VALUE' };
  else if (typeof json === 'bigint') kind = { numberValue: Number(json) };
  else if (typeof json === 'string') kind = { stringValue: json };
  else if (json instanceof Date) kind = { stringValue: json.toISOString() };
  else if (Array.isArray(json))
    kind = { listValue: sibling(self, LIST_VALUE).fromObject(json as unknown as Record<string, unknown>) };
  else if (isPlainRecord(json)) kind = { structValue: sibling(self, STRUCT).fromObject(json) };
  else kind = { stringValue: String(json) };
  return self.fromObject(kind);
}

function valueToJson(self: Type, message: Message): unknown {
  const o = self.toObject(message, OBJECT_FORM);
  if ('stringValue' in o) return o.stringValue;
  if ('numberValue' in o) return o.numberValue;
  if ('boolValue' in o) return o.boolValue;
  // Already JSON: converted by the wrapped Struct and ListValue.
  if ('structValue' in o) return o.structValue;
  if ('listValue' in o) return o.listValue;
  return null;
}

function structFromJson(self: Type, json: unknown): Message {
  if (json instanceof self.ctor) return json as Message;
  if (!isPlainRecord(json)) throw new TypeError('google.protobuf.Struct: a JSON object is expected');
  const value = sibling(self, VALUE);
  const fields: Record<string, Message> = {};
  for (const [key, item] of Object.entries(json)) {
    // JSON.stringify drops undefined members; so does the Struct.
    if (item !== undefined) fields[key] = value.fromObject(item as Record<string, unknown>);
  }
  return self.fromObject({ fields });
}

function structToJson(self: Type, message: Message): Record<string, unknown> {
  const o = self.toObject(message, OBJECT_FORM);
  return isPlainRecord(o.fields) ? o.fields : {};
}

function listFromJson(self: Type, json: unknown): Message {
  if (json instanceof self.ctor) return json as Message;
  if (!Array.isArray(json)) throw new TypeError('google.protobuf.ListValue: a JSON array is expected');
  const value = sibling(self, VALUE);
  // JSON.stringify writes undefined array items as null.
  return self.fromObject({
    values: json.map((item: unknown) =>
      value.fromObject((item === undefined ? null : item) as Record<string, unknown>),
    ),
  });
}

function listToJson(self: Type, message: Message): unknown[] {
  const o = self.toObject(message, OBJECT_FORM);
  return Array.isArray(o.values) ? o.values : [];
}

let registered = false;

/** Makes every google.protobuf.Struct, Value and ListValue read and write as plain JSON (idempotent). */
export function registerStructAsJson(): void {
  if (registered) return;
  registered = true;
  // protobufjs's typings declare these as returning plain objects; at run time they return what we give.
  wrappers[STRUCT] = {
    fromObject(this: Type, object) {
      return structFromJson(this, object);
    },
    toObject(this: Type, message) {
      return structToJson(this, message);
    },
  };
  wrappers[VALUE] = {
    fromObject(this: Type, object) {
      return valueFromJson(this, object);
    },
    toObject(this: Type, message) {
      return valueToJson(this, message) as Record<string, unknown>;
    },
  };
  wrappers[LIST_VALUE] = {
    fromObject(this: Type, object) {
      return listFromJson(this, object);
    },
    toObject(this: Type, message) {
      return listToJson(this, message) as unknown as Record<string, unknown>;
    },
  };
}

interface FieldDescriptor {
  name: string;
  label: string;
  type: string;
  typeName: string;
}

function isValueField(f: FieldDescriptor): boolean {
  return f.type === 'TYPE_MESSAGE' && f.typeName.replace(/^\./, '') === VALUE.slice(1);
}

/**
 * A message field of type google.protobuf.Value may hold a bare string, number or boolean, which
 * protobufjs refuses ("object expected") before the Value wrapper is reached; so each message with
 * such fields gets a wrapper that turns them into Value messages first. Call after loading the
 * protos and before the first call (protobufjs applies wrappers when a type is first used).
 */
export function registerValueFields(definition: PackageDefinition): void {
  for (const [name, def] of Object.entries(definition)) {
    if (!('format' in def) || def.format !== 'Protocol Buffer 3 DescriptorProto') continue;
    const valueFields = ((def.type as { field?: FieldDescriptor[] }).field ?? []).filter(isValueField);
    const key = `.${name}`;
    if (valueFields.length === 0 || wrappers[key]) continue;
    wrappers[key] = {
      fromObject(this: Type, object) {
        if (object instanceof this.ctor) return object as Message;
        const value = sibling(this, VALUE);
        const copy: Record<string, unknown> = { ...object };
        for (const f of valueFields) {
          const v = copy[f.name];
          if (v === undefined || v === null) continue;
          const toValue = (item: unknown) =>
            value.fromObject((item === undefined ? null : item) as Record<string, unknown>);
          copy[f.name] = f.label === 'LABEL_REPEATED' && Array.isArray(v) ? v.map(toValue) : toValue(v);
        }
        return this.fromObject(copy);
      },
      toObject(this: Type, message, options) {
        return this.toObject(message, options);
      },
    };
  }
}

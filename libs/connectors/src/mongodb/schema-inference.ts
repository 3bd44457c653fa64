import { CatalogField } from '../core/types';
import { BsonTypeName, bsonTypeOf } from './bson-types';

/** Bounds the walk so a sample of wildly varying documents cannot exhaust memory. */
export interface InferenceLimits {
  /** Deepest nesting (objects and arrays) followed. */
  maxDepth: number;
  /** Most distinct paths kept; later new paths are dropped and the schema marked truncated. */
  maxFields: number;
}

export const DEFAULT_LIMITS: InferenceLimits = { maxDepth: 20, maxFields: 2000 };

export interface InferredField {
  /** `address.city`; array elements are `tags[]`, fields of array elements `items[].sku`. */
  path: string;
  /** How many values of each BSON type were seen at this path. */
  types: Partial<Record<BsonTypeName, number>>;
  /** Sampled documents in which the path occurs at least once. */
  presentIn: number;
  /** presentIn / sampled documents. */
  presence: number;
  /** Dominant type first, `null` last: `string`, `int|double`, `string|null`. */
  dataType: string;
  /** Missing from some documents, or null in some. */
  nullable: boolean;
}

export interface InferredSchema {
  sampled: number;
  fields: InferredField[];
  /** True when `maxFields` was reached and some paths were dropped. */
  truncated: boolean;
}

interface Tally {
  types: Map<BsonTypeName, number>;
  presentIn: number;
  lastDoc: number;
}

/**
 * Orders paths so that `_id` comes first and every parent directly precedes its children
 * (`address`, `address.city`, `addresses`, `tags`, `tags[]`), independent of sampling order, so
 * two samples of the same shape produce the same field list.
 */
export function comparePaths(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '_id') return -1;
  if (b === '_id') return 1;
  const key = (p: string) => p.replace(/\[\]/g, '\u0001').replace(/\./g, '\u0000');
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : 1;
}

/** `int|double` style union: most frequent first (ties by name), `null` always last. */
export function unionType(types: Partial<Record<BsonTypeName, number>>): string {
  const entries = Object.entries(types) as Array<[BsonTypeName, number]>;
  const nonNull = entries
    .filter(([t]) => t !== 'null' && t !== 'undefined')
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  const names = nonNull.map(([t]) => t);
  if (entries.some(([t]) => t === 'null' || t === 'undefined')) names.push('null');
  return names.join('|');
}

/** Infers the field schema of a collection from sampled documents. Pure: no I/O. */
export function inferSchema(docs: readonly unknown[], limits: InferenceLimits = DEFAULT_LIMITS): InferredSchema {
  const tallies = new Map<string, Tally>();
  let truncated = false;

  const record = (path: string, type: BsonTypeName, doc: number) => {
    let tally = tallies.get(path);
    if (!tally) {
      if (tallies.size >= limits.maxFields) {
        truncated = true;
        return;
      }
      tally = { types: new Map(), presentIn: 0, lastDoc: -1 };
      tallies.set(path, tally);
    }
    tally.types.set(type, (tally.types.get(type) ?? 0) + 1);
    if (tally.lastDoc !== doc) {
      tally.lastDoc = doc;
      tally.presentIn += 1;
    }
  };

  const visit = (path: string, value: unknown, depth: number, doc: number) => {
    const type = bsonTypeOf(value);
    record(path, type, doc);
    if (depth >= limits.maxDepth) return;
    if (type === 'object' && typeof value === 'object' && value !== null && !('_bsontype' in value)) {
      for (const [key, child] of Object.entries(value)) visit(`${path}.${key}`, child, depth + 1, doc);
    } else if (type === 'array') {
      for (const element of value as unknown[]) visit(`${path}[]`, element, depth + 1, doc);
    }
  };

  docs.forEach((doc, index) => {
    if (typeof doc !== 'object' || doc === null) return;
    for (const [key, value] of Object.entries(doc)) visit(key, value, 1, index);
  });

  const sampled = docs.length;
  const fields = [...tallies.entries()]
    .map(([path, tally]): InferredField => {
      const types = Object.fromEntries(tally.types) as Partial<Record<BsonTypeName, number>>;
      const hasNull = (types.null ?? 0) + (types.undefined ?? 0) > 0;
      return {
        path,
        types,
        presentIn: tally.presentIn,
        presence: sampled === 0 ? 0 : tally.presentIn / sampled,
        dataType: unionType(types),
        nullable: hasNull || tally.presentIn < sampled,
      };
    })
    .sort((a, b) => comparePaths(a.path, b.path));
  return { sampled, fields, truncated };
}

/** What a `$jsonSchema` validator declares about one path. */
export interface DeclaredField {
  path: string;
  bsonType?: string;
  required: boolean;
  nullAllowed: boolean;
  description?: string;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function typeList(schema: Record<string, unknown>): string[] {
  const raw = schema.bsonType ?? schema.type;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((t): t is string => typeof t === 'string');
}

/** Flattens a `$jsonSchema` (properties, required, items) into declared paths. */
export function declaredFields(jsonSchema: unknown): DeclaredField[] {
  const out: DeclaredField[] = [];
  const walk = (schema: Record<string, unknown>, prefix: string, depth: number) => {
    if (depth > DEFAULT_LIMITS.maxDepth) return;
    const properties = asRecord(schema.properties);
    const required = new Set(
      Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [],
    );
    if (properties) {
      for (const [key, raw] of Object.entries(properties)) {
        const child = asRecord(raw);
        if (!child) continue;
        const path = prefix ? `${prefix}.${key}` : key;
        const types = typeList(child);
        const description = typeof child.description === 'string' ? child.description : undefined;
        const named = types.filter((t) => t !== 'null');
        out.push({
          path,
          bsonType: named.length > 0 ? named.join('|') : types.length > 0 ? 'null' : undefined,
          required: required.has(key),
          nullAllowed: types.includes('null'),
          description,
        });
        walk(child, path, depth + 1);
      }
    }
    const items = asRecord(schema.items);
    if (items) {
      const path = `${prefix}[]`;
      const types = typeList(items);
      if (types.length > 0)
        out.push({
          path,
          bsonType: types.filter((t) => t !== 'null').join('|') || 'null',
          required: false,
          nullAllowed: types.includes('null'),
        });
      walk(items, path, depth + 1);
    }
  };
  const root = asRecord(jsonSchema);
  if (root) walk(root, '', 0);
  return out;
}

const round = (n: number) => Math.round(n * 10000) / 10000;

/**
 * Turns an inferred schema into catalog fields, adding what a `$jsonSchema` validator declares:
 * descriptions become comments, and declared paths the sample never saw are listed too
 * (marked `declared_only`), so an empty or sparse collection still shows its intended shape.
 */
export function toCatalogFields(schema: InferredSchema, declared: readonly DeclaredField[] = []): CatalogField[] {
  const declaredByPath = new Map(declared.map((d) => [d.path, d]));
  const fields: Array<Omit<CatalogField, 'ordinal'>> = schema.fields.map((f) => {
    const d = declaredByPath.get(f.path);
    declaredByPath.delete(f.path);
    return {
      name: f.path,
      dataType: f.dataType,
      nullable: f.nullable,
      ...(f.path === '_id' ? { primaryKey: true } : {}),
      ...(isNested(f.path) ? { path: f.path } : {}),
      ...(d?.description ? { comment: d.description } : {}),
      properties: {
        types: f.types,
        presence: round(f.presence),
        present_in: f.presentIn,
        ...(d ? { declared_type: d.bsonType ?? null, declared_required: d.required } : {}),
      },
    };
  });
  for (const d of declaredByPath.values()) {
    fields.push({
      name: d.path,
      dataType: d.bsonType ?? 'unknown',
      nullable: !d.required || d.nullAllowed,
      ...(isNested(d.path) ? { path: d.path } : {}),
      ...(d.description ? { comment: d.description } : {}),
      properties: {
        types: {},
        presence: 0,
        present_in: 0,
        declared_only: true,
        declared_type: d.bsonType ?? null,
        declared_required: d.required,
      },
    });
  }
  return fields.sort((a, b) => comparePaths(a.name, b.name)).map((f, i) => ({ ...f, ordinal: i + 1 }));
}

function isNested(path: string): boolean {
  return path.includes('.') || path.includes('[]');
}

/**
 * JSON Schema (draft-04 to 2020-12) → flattened fields: `properties` become paths, `required`
 * and `null` in `type` (or a `null` branch of oneOf/anyOf) decide nullability, `items` become
 * `path[]`, local `$ref`s (`#/definitions/x`, `#/$defs/x`) are followed once per branch.
 * `description` (else `title`) is the doc, `default` the default, `format` refines the type.
 */
import { defaultText, joinPath, SCHEMA_LIMITS, SchemaField } from './schema-field';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

class JsonSchemaWalker {
  readonly fields: SchemaField[] = [];

  constructor(private readonly root: Json) {}

  /** Follows a local `$ref` (JSON pointer into the root document). */
  private deref(node: Json, seen: Set<string>): Json | null {
    let current = node;
    while (typeof current.$ref === 'string') {
      const ref = current.$ref;
      if (!ref.startsWith('#') || seen.has(ref)) return null;
      seen.add(ref);
      let target: unknown = this.root;
      for (const raw of ref.slice(1).split('/').filter(Boolean)) {
        const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
        target = isObject(target) ? target[key] : undefined;
      }
      if (!isObject(target)) return null;
      current = { ...target, ...Object.fromEntries(Object.entries(current).filter(([k]) => k !== '$ref')) };
    }
    return current;
  }

  /** The node's non-null branch and whether null is allowed. */
  private unwrap(node: Json, seen: Set<string>): { node: Json | null; nullable: boolean; types: string[] } {
    const resolved = this.deref(node, seen);
    if (!resolved) return { node: null, nullable: false, types: ['ref'] };
    const types = Array.isArray(resolved.type)
      ? (resolved.type as unknown[]).map(String)
      : typeof resolved.type === 'string'
        ? [resolved.type]
        : [];
    let nullable = types.includes('null');
    const branches = (resolved.oneOf ?? resolved.anyOf) as unknown;
    if (types.length === 0 && Array.isArray(branches)) {
      const options = branches.filter(isObject).map((b) => this.deref(b, new Set(seen)) ?? {});
      const nonNull = options.filter((b) => b.type !== 'null');
      nullable = nonNull.length < options.length;
      if (nonNull.length === 1) {
        const inner = this.unwrap(nonNull[0], seen);
        return { node: inner.node, nullable: nullable || inner.nullable, types: inner.types };
      }
      return { node: resolved, nullable, types: nonNull.length ? ['union'] : ['null'] };
    }
    if (types.length === 0 && isObject(resolved.properties)) types.push('object');
    if (types.length === 0 && resolved.items !== undefined) types.push('array');
    return { node: resolved, nullable, types: types.filter((t) => t !== 'null') };
  }

  private typeName(node: Json | null, types: string[], seen: Set<string>): string {
    if (!node || types.length === 0) return types[0] ?? 'any';
    if (types.length > 1) return types.join('|');
    const [type] = types;
    if (type === 'string' && typeof node.format === 'string') return `string(${node.format})`;
    if (type === 'array' && isObject(node.items)) {
      const inner = this.unwrap(node.items, new Set(seen));
      return `array<${this.typeName(inner.node, inner.types, seen)}>`;
    }
    return type;
  }

  walk(node: Json, path: string, depth: number, seen: Set<string>): void {
    if (depth > SCHEMA_LIMITS.maxDepth) return;
    const { node: resolved, types } = this.unwrap(node, seen);
    if (!resolved) return;
    if (types.includes('object') && isObject(resolved.properties)) {
      const required = new Set(Array.isArray(resolved.required) ? resolved.required.map(String) : []);
      for (const [name, child] of Object.entries(resolved.properties)) {
        if (this.fields.length >= SCHEMA_LIMITS.maxFields || !isObject(child)) continue;
        const childSeen = new Set(seen);
        const inner = this.unwrap(child, childSeen);
        const childPath = joinPath(path, name);
        const doc = inner.node?.description ?? inner.node?.title;
        this.fields.push({
          path: childPath,
          type: this.typeName(inner.node, inner.types, childSeen),
          nullable: !required.has(name) || inner.nullable,
          doc: typeof doc === 'string' ? doc : null,
          default: defaultText(inner.node?.default),
        });
        this.walk(child, childPath, depth + 1, new Set(seen));
      }
    } else if (types.includes('array') && isObject(resolved.items)) {
      this.walk(resolved.items, `${path}[]`, depth + 1, new Set(seen));
    }
  }
}

/** Fields of a JSON Schema text. Throws when it is not a JSON object. */
export function jsonSchemaFields(schemaText: string): SchemaField[] {
  const root: unknown = JSON.parse(schemaText);
  if (!isObject(root)) throw new Error('A JSON Schema must be a JSON object');
  const walker = new JsonSchemaWalker(root);
  walker.walk(root, '', 0, new Set());
  return walker.fields;
}

/** The schema's `title` (what record-name strategies use for JSON), or null. */
export function jsonSchemaTitle(schemaText: string): string | null {
  try {
    const root: unknown = JSON.parse(schemaText);
    return isObject(root) && typeof root.title === 'string' ? root.title : null;
  } catch {
    return null;
  }
}

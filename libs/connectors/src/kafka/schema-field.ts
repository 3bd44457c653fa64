/** One field of a message schema, flattened: nested records as `a.b`, array items as `a[]`, map values as `a{}`. */
export interface SchemaField {
  path: string;
  type: string;
  nullable: boolean;
  doc: string | null;
  /** The declared default as JSON text, or null when there is none. */
  default: string | null;
}

/** Bounds for hostile or runaway schemas. */
export const SCHEMA_LIMITS = { maxDepth: 32, maxFields: 2000 };

export const joinPath = (prefix: string, name: string): string => (prefix ? `${prefix}.${name}` : name);

export function defaultText(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

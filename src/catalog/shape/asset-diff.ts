import type { CatalogIndex, CatalogKey } from '@app/connectors';
import { AssetShape, FieldShape } from './asset-shape';
import { canonicalJson, sameJson } from './canonical-json';

export interface ValueChange {
  old: unknown;
  new: unknown;
}

/** A field as a version records it. */
export interface FieldSnapshot {
  name: string;
  path?: string;
  ordinal: number;
  data_type: string;
  nullable: boolean;
  default: string | null;
  comment: string | null;
  primary_key: boolean;
}

export interface FieldChanges {
  data_type?: ValueChange;
  nullable?: ValueChange;
  default?: ValueChange;
  comment?: ValueChange;
  primary_key?: ValueChange;
  /** The field moved relative to the others (old and new ordinal). */
  position?: ValueChange;
  properties?: Record<string, ValueChange>;
}

export interface FieldAlteration {
  name: string;
  path?: string;
  changes: FieldChanges;
}

export interface NamedListDiff<T> {
  added: T[];
  removed: T[];
  altered: Array<{ name: string; old: T; new: T }>;
}

/** The field-level difference between two shapes of one asset; empty sections are left out. */
export interface AssetDiff {
  asset?: { kind?: ValueChange; comment?: ValueChange; properties?: Record<string, ValueChange> };
  fields?: { added: FieldSnapshot[]; removed: FieldSnapshot[]; altered: FieldAlteration[] };
  keys?: NamedListDiff<CatalogKey>;
  indexes?: NamedListDiff<CatalogIndex>;
}

export interface DiffCounts {
  fieldsAdded: number;
  fieldsRemoved: number;
  fieldsAltered: number;
}

export function fieldSnapshot(f: FieldShape): FieldSnapshot {
  const snap: FieldSnapshot = {
    name: f.name,
    ordinal: f.ordinal,
    data_type: f.dataType,
    nullable: f.nullable,
    default: f.default,
    comment: f.comment,
    primary_key: f.primaryKey,
  };
  if (f.path !== null) snap.path = f.path;
  return snap;
}

function change(old: unknown, now: unknown): ValueChange | undefined {
  return sameJson(old, now) ? undefined : { old: old ?? null, new: now ?? null };
}

function propertyChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, ValueChange> | undefined {
  const out: Record<string, ValueChange> = {};
  for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const c = change(before[key], after[key]);
    if (c) out[key] = c;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Ids of the common fields that keep their relative order (a longest common subsequence). */
function stayedInOrder(before: string[], after: string[]): Set<string> {
  const n = before.length;
  const m = after.length;
  // Very wide assets: compare positions directly instead of paying O(n·m).
  if (n * m > 4_000_000) return new Set(before.filter((id, i) => after[i] === id));
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = before[i] === after[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const kept = new Set<string>();
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (before[i] === after[j]) {
      kept.add(before[i]);
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) i++;
    else j++;
  }
  return kept;
}

function diffFields(before: AssetShape, after: AssetShape): AssetDiff['fields'] {
  const old = new Map(before.fields.map((f) => [f.id, f]));
  const now = new Map(after.fields.map((f) => [f.id, f]));
  const added = after.fields.filter((f) => !old.has(f.id)).map(fieldSnapshot);
  const removed = before.fields.filter((f) => !now.has(f.id)).map(fieldSnapshot);
  const common = after.fields.filter((f) => old.has(f.id)).map((f) => f.id);
  const inOrder =
    before.ordered && after.ordered
      ? stayedInOrder(
          before.fields.filter((f) => now.has(f.id)).map((f) => f.id),
          common,
        )
      : new Set(common);
  const altered: FieldAlteration[] = [];
  for (const id of common) {
    const a = old.get(id)!;
    const b = now.get(id)!;
    const changes: FieldChanges = {};
    const dataType = change(a.dataType, b.dataType);
    if (dataType) changes.data_type = dataType;
    const nullable = change(a.nullable, b.nullable);
    if (nullable) changes.nullable = nullable;
    const dflt = change(a.default, b.default);
    if (dflt) changes.default = dflt;
    const comment = change(a.comment, b.comment);
    if (comment) changes.comment = comment;
    const pk = change(a.primaryKey, b.primaryKey);
    if (pk) changes.primary_key = pk;
    if (!inOrder.has(id)) changes.position = { old: a.ordinal, new: b.ordinal };
    const props = propertyChanges(a.properties, b.properties);
    if (props) changes.properties = props;
    if (Object.keys(changes).length > 0) {
      const alteration: FieldAlteration = { name: b.name, changes };
      if (b.path !== null) alteration.path = b.path;
      altered.push(alteration);
    }
  }
  if (added.length + removed.length + altered.length === 0) return undefined;
  return { added, removed, altered };
}

function diffNamed<T extends { name: string }>(before: T[], after: T[]): NamedListDiff<T> | undefined {
  const old = new Map(before.map((x) => [x.name, x]));
  const now = new Map(after.map((x) => [x.name, x]));
  const added = after.filter((x) => !old.has(x.name));
  const removed = before.filter((x) => !now.has(x.name));
  const altered = after
    .filter((x) => old.has(x.name) && canonicalJson(old.get(x.name)) !== canonicalJson(x))
    .map((x) => ({ name: x.name, old: old.get(x.name)!, new: x }));
  if (added.length + removed.length + altered.length === 0) return undefined;
  return { added, removed, altered };
}

const EMPTY_SHAPE: AssetShape = {
  kind: 'table',
  comment: null,
  properties: {},
  fields: [],
  keys: [],
  indexes: [],
  ordered: true,
};

/**
 * What changed from `before` to `after`. A null side stands for "did not exist": an added asset
 * lists all its fields, keys and indexes as added; a removed one lists them as removed.
 */
export function diffShapes(before: AssetShape | null, after: AssetShape | null): AssetDiff {
  const diff: AssetDiff = {};
  if (before && after) {
    const asset: NonNullable<AssetDiff['asset']> = {};
    const kind = change(before.kind, after.kind);
    if (kind) asset.kind = kind;
    const comment = change(before.comment, after.comment);
    if (comment) asset.comment = comment;
    const props = propertyChanges(before.properties, after.properties);
    if (props) asset.properties = props;
    if (Object.keys(asset).length > 0) diff.asset = asset;
  }
  const a = before ?? { ...EMPTY_SHAPE, ordered: after?.ordered ?? true };
  const b = after ?? { ...EMPTY_SHAPE, ordered: before?.ordered ?? true };
  const fields = diffFields(a, b);
  if (fields) diff.fields = fields;
  const keys = diffNamed(a.keys, b.keys);
  if (keys) diff.keys = keys;
  const indexes = diffNamed(a.indexes, b.indexes);
  if (indexes) diff.indexes = indexes;
  return diff;
}

export function isEmptyDiff(diff: AssetDiff): boolean {
  return !diff.asset && !diff.fields && !diff.keys && !diff.indexes;
}

export function diffCounts(diff: AssetDiff): DiffCounts {
  return {
    fieldsAdded: diff.fields?.added.length ?? 0,
    fieldsRemoved: diff.fields?.removed.length ?? 0,
    fieldsAltered: diff.fields?.altered.length ?? 0,
  };
}

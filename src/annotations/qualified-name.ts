import { createHash } from 'node:crypto';

export const TARGET_KINDS = ['datasource', 'namespace', 'asset', 'field'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/**
 * Where an annotation belongs, by name rather than by catalog row id: the same table dropped and
 * re-created (a new row, new field ids) has the same qualified name, so it gets its annotations back.
 */
export interface QualifiedName {
  dataSourceId: string;
  namespace?: string;
  asset?: string;
  /** Dotted path of a nested field, or the column name. */
  field?: string;
}

export function kindOf(q: QualifiedName): TargetKind {
  if (q.field !== undefined) return 'field';
  if (q.asset !== undefined) return 'asset';
  if (q.namespace !== undefined) return 'namespace';
  return 'datasource';
}

/** The stored parts: '' for the levels below the target. */
export function partsOf(q: QualifiedName): {
  dataSourceId: string;
  namespace: string;
  assetName: string;
  fieldPath: string;
} {
  if (q.field !== undefined && q.asset === undefined) throw new Error('a field needs its asset');
  if (q.asset !== undefined && q.namespace === undefined) throw new Error('an asset needs its namespace');
  return {
    dataSourceId: q.dataSourceId,
    namespace: q.namespace ?? '',
    assetName: q.asset ?? '',
    fieldPath: q.field ?? '',
  };
}

/**
 * The unique key of a target: a hash of its kind and parts, so names of any length and any
 * characters (dots, quotes, '' namespaces) fit one short indexed column and never collide by joining.
 */
export function targetKey(q: QualifiedName): string {
  const p = partsOf(q);
  return createHash('sha256')
    .update(JSON.stringify([kindOf(q), p.dataSourceId, p.namespace, p.assetName, p.fieldPath]))
    .digest('hex');
}

export function fromParts(
  kind: TargetKind,
  p: { dataSourceId: string; namespace: string; assetName: string; fieldPath: string },
): QualifiedName {
  switch (kind) {
    case 'datasource':
      return { dataSourceId: p.dataSourceId };
    case 'namespace':
      return { dataSourceId: p.dataSourceId, namespace: p.namespace };
    case 'asset':
      return { dataSourceId: p.dataSourceId, namespace: p.namespace, asset: p.assetName };
    case 'field':
      return { dataSourceId: p.dataSourceId, namespace: p.namespace, asset: p.assetName, field: p.fieldPath };
  }
}

/** Readable form for messages: `ds-…/public/orders#customer_id`. */
export function displayName(q: QualifiedName): string {
  let s = q.dataSourceId;
  if (q.namespace !== undefined) s += `/${q.namespace}`;
  if (q.asset !== undefined) s += `/${q.asset}`;
  if (q.field !== undefined) s += `#${q.field}`;
  return s;
}

import { createHash } from 'node:crypto';
import { AssetShape } from './asset-shape';
import { canonicalJson } from './canonical-json';

/**
 * A stable hash of an asset's shape: kind, comment, shape-defining properties, fields (in order
 * for ordered kinds), keys and indexes. Statistics, owner and state-like properties are left
 * out, so they can be refreshed without a new version.
 */
export function fingerprint(shape: AssetShape): string {
  const fields = shape.fields.map((f) => [
    f.id,
    f.name,
    f.path,
    f.dataType,
    f.nullable,
    f.default,
    f.comment,
    f.primaryKey,
    f.properties,
  ]);
  const text = canonicalJson({
    v: 1,
    kind: shape.kind,
    comment: shape.comment,
    properties: shape.properties,
    fields,
    keys: shape.keys,
    indexes: shape.indexes,
  });
  return createHash('sha256').update(text).digest('hex');
}

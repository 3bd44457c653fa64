/**
 * What the catalog needs from written metadata (src/annotations) to show and find assets: the
 * annotations of an asset and its fields, the assets an annotation filter keeps, and the assets
 * and fields whose written text matches a search. The catalog never reads those tables itself;
 * without a provider (a catalog used alone) reads simply show none.
 */
export const CATALOG_ANNOTATIONS = Symbol('CATALOG_ANNOTATIONS');

export interface AssetKey {
  dataSourceId: string;
  namespace: string;
  name: string;
}

export interface FieldKey extends AssetKey {
  /** The field's path, or its name for a flat column. */
  fieldPath: string;
}

export interface AnnotationFilter {
  tag?: string;
  /** A username or team name. */
  owner?: string;
  /** A term's qualified name or id. */
  term?: string;
  certification?: 'certified' | 'deprecated';
  /** Owned by this user, directly or through a team. */
  ownedByUserId?: string;
}

export interface WrittenAnnotations {
  version: number;
  description: string | null;
  tags: string[];
  owners: Array<{ user?: string; team?: string; type: string }>;
  terms: string[];
  certification: { status: string; note: string | null; by: string | null; at: string | null } | null;
  properties: Record<string, unknown>;
  updated_by: string | null;
  updated_at: string | null;
}

export interface WrittenMatch {
  key: AssetKey | FieldKey;
  match: 'description' | 'term';
  text: string;
}

export interface CatalogAnnotations {
  /** The asset's annotations and those of the named fields (field path → annotations). */
  ofAsset(
    asset: AssetKey,
    fieldPaths: string[],
  ): Promise<{ asset: WrittenAnnotations; fields: Map<string, WrittenAnnotations> }>;
  /** Assets carrying what the filter asks for, themselves or through a field; null when the filter is empty. */
  assetsMatching(filter: AnnotationFilter): Promise<AssetKey[] | null>;
  /** Assets and fields whose written description, glossary term or term synonym contains `q`. */
  textMatches(q: string, dataSourceId?: string): Promise<{ assets: WrittenMatch[]; fields: WrittenMatch[] }>;
}

export const isFieldKey = (k: AssetKey | FieldKey): k is FieldKey => 'fieldPath' in k;

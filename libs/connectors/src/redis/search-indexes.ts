/**
 * RediSearch indexes as assets, from `FT.INFO` replies (RESP2: a flat `[field, value, …]` array
 * whose `index_definition` is another flat array and whose `attributes` is a list of flat arrays).
 */
import { createHash } from 'node:crypto';
import { CatalogAsset, CatalogField } from '../core/types';
import { replyNumber, replyPairs } from './reply-values';

/** Asset names of search indexes; keeps them apart from key patterns in the same database. */
export const SEARCH_INDEX_PREFIX = 'FT/';

/** Attribute options that stand alone in the reply rather than as `name value` pairs. */
const ATTRIBUTE_FLAGS = new Set([
  'SORTABLE',
  'UNF',
  'NOSTEM',
  'NOINDEX',
  'CASESENSITIVE',
  'WITHSUFFIXTRIE',
  'INDEXEMPTY',
  'INDEXMISSING',
]);

const str = (value: unknown): string | undefined => (value === undefined || value === null ? undefined : String(value));

export interface SearchAttribute {
  identifier: string;
  attribute: string;
  type: string;
  flags: string[];
  options: Record<string, string>;
}

/** One entry of `attributes`: identifier, attribute, type pairs, then options and bare flags. */
export function parseAttribute(flat: unknown): SearchAttribute {
  const tokens = Array.isArray(flat) ? flat.map(String) : [];
  const out: SearchAttribute = { identifier: '', attribute: '', type: '', flags: [], options: {} };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (ATTRIBUTE_FLAGS.has(token.toUpperCase())) {
      out.flags.push(token.toUpperCase());
    } else if (i + 1 < tokens.length) {
      const value = tokens[++i];
      if (token === 'identifier') out.identifier = value;
      else if (token === 'attribute') out.attribute = value;
      else if (token === 'type') out.type = value;
      else out.options[token.toLowerCase()] = value;
    }
  }
  return out;
}

export interface SearchIndexInfo {
  name: string;
  keyType: string | undefined;
  prefixes: string[];
  filter: string | undefined;
  defaultLanguage: string | undefined;
  attributes: SearchAttribute[];
  numDocs: number | null;
  indexing: boolean | null;
  percentIndexed: number | null;
  indexingFailures: number | null;
  options: string[];
}

export function parseFtInfo(reply: unknown): SearchIndexInfo {
  const info = replyPairs(reply);
  const definition = replyPairs(info.index_definition);
  const indexing = replyNumber(info.indexing);
  return {
    name: String(info.index_name),
    keyType: str(definition.key_type),
    prefixes: Array.isArray(definition.prefixes) ? definition.prefixes.map(String) : [],
    filter: str(definition.filter),
    defaultLanguage: str(definition.default_language),
    attributes: (Array.isArray(info.attributes) ? info.attributes : []).map(parseAttribute),
    numDocs: replyNumber(info.num_docs),
    indexing: indexing === null ? null : indexing !== 0,
    percentIndexed: replyNumber(info.percent_indexed),
    indexingFailures: replyNumber(info.hash_indexing_failures),
    options: Array.isArray(info.index_options) ? info.index_options.map(String) : [],
  };
}

export function searchIndexAsset(namespace: string, info: SearchIndexInfo): CatalogAsset {
  const fields: CatalogField[] = info.attributes.map((a, i) => ({
    // The attribute is the name queries use; for JSON the identifier is the JSONPath it reads.
    name: a.attribute || a.identifier,
    ordinal: i + 1,
    dataType: a.type,
    nullable: true,
    properties: {
      identifier: a.identifier,
      ...(a.flags.length > 0 ? { flags: a.flags } : {}),
      ...a.options,
    },
  }));
  const definition = {
    key_type: info.keyType,
    prefixes: info.prefixes,
    filter: info.filter,
    default_language: info.defaultLanguage,
    index_options: info.options.length > 0 ? info.options : undefined,
  };
  return {
    namespace,
    name: SEARCH_INDEX_PREFIX + info.name,
    kind: 'search_index',
    properties: Object.fromEntries(
      Object.entries({
        ...definition,
        indexing: info.indexing,
        percent_indexed: info.percentIndexed,
        indexing_failures: info.indexingFailures,
      }).filter(([, v]) => v !== undefined && v !== null),
    ),
    statistics: { rows: info.numDocs },
    fields,
    changeSignal: createHash('sha256')
      .update(JSON.stringify({ definition, attributes: info.attributes }))
      .digest('hex'),
  };
}

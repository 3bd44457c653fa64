import { isJsonObject, Json } from '../merge-patch';
import { CreateTermDto, TermDto } from '../dto/glossary.dto';
import { CreateTagGroupDto } from '../dto/tag-group.dto';
import { TagEntity, TagGroupEntity } from '../entities/tag.entities';
import { QualifiedName } from '../qualified-name';

const NAME_KEYS = ['source', 'namespace', 'asset', 'field'] as const;

/** One annotation entry of a catalog-as-code document: whose it is, and the rest as its document. */
export interface CodeEntry {
  name: QualifiedName;
  document: Json;
}

/** Splits an entry into its qualified name (the source by name, mapped to its id) and its document. */
export function codeEntryOf(raw: Record<string, unknown>, sourceIdByName: ReadonlyMap<string, string>): CodeEntry {
  const [source, namespace, asset, field] = NAME_KEYS.map((k) => raw[k]);
  for (const [key, value] of [
    ['source', source],
    ['namespace', namespace],
    ['asset', asset],
    ['field', field],
  ] as const)
    if (value !== undefined && (typeof value !== 'string' || (key !== 'namespace' && value === '')))
      throw new Error(`${key} must be a non-empty string`);
  if (typeof source !== 'string') throw new Error('source (a data source name) is required');
  if (asset !== undefined && namespace === undefined) throw new Error('an asset needs its namespace');
  if (field !== undefined && asset === undefined) throw new Error('a field needs its asset');
  const dataSourceId = sourceIdByName.get(source);
  if (!dataSourceId) throw new Error(`data source ${source} not found`);
  const document = Object.fromEntries(
    Object.entries(raw).filter(([k]) => !(NAME_KEYS as readonly string[]).includes(k)),
  );
  if (!isJsonObject(document as Json)) throw new Error('the entry must be an object');
  return {
    name: {
      dataSourceId,
      ...(namespace !== undefined ? { namespace: namespace as string } : {}),
      ...(asset !== undefined ? { asset: asset as string } : {}),
      ...(field !== undefined ? { field: field as string } : {}),
    },
    document: document as Json,
  };
}

/** Deep equality of plain JSON values, key order ignored. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`)
      .join(',')}}`;
  return JSON.stringify(v ?? null);
}

/** Whether applying the entry would change the stored group: only what the entry names is compared. */
export function tagGroupDiffers(stored: TagGroupEntity, storedTags: TagEntity[], wanted: CreateTagGroupDto): boolean {
  if (wanted.description !== undefined && wanted.description !== (stored.description ?? '')) return true;
  if (wanted.mutually_exclusive !== undefined && wanted.mutually_exclusive !== stored.mutuallyExclusive) return true;
  if (!wanted.tags) return false;
  if (wanted.tags.length !== storedTags.length) return true;
  return wanted.tags.some((w) => {
    const have = storedTags.find((t) => t.name === w.name);
    return !have || (w.description !== undefined && w.description !== (have.description ?? ''));
  });
}

export function termDiffers(stored: TermDto, wanted: CreateTermDto): boolean {
  if (wanted.description !== undefined && wanted.description !== (stored.description ?? '')) return true;
  if (wanted.synonyms && !sameJson(wanted.synonyms, stored.synonyms)) return true;
  if (wanted.related && !sameJson([...wanted.related].sort(), [...stored.related].sort())) return true;
  if (wanted.owners && !sameJson(wanted.owners, stored.owners)) return true;
  return wanted.status !== undefined && wanted.status !== stored.status;
}

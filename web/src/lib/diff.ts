/** A version's diff (see VersionDto.diff) as rows for a side-by-side view: before | after. */
export interface ValueChange {
  old: unknown;
  new: unknown;
}

interface FieldSnapshot {
  name: string;
  data_type: string;
  nullable: boolean;
  default: string | null;
  primary_key: boolean;
  comment: string | null;
}

interface NamedList {
  added?: Array<{ name: string }>;
  removed?: Array<{ name: string }>;
  altered?: Array<{ name: string; old: unknown; new: unknown }>;
}

export interface AssetDiff {
  asset?: Record<string, ValueChange | Record<string, ValueChange> | undefined>;
  fields?: {
    added?: FieldSnapshot[];
    removed?: FieldSnapshot[];
    altered?: Array<{ name: string; changes: Record<string, ValueChange | Record<string, ValueChange>> }>;
  };
  keys?: NamedList;
  indexes?: NamedList;
}

export interface DiffRow {
  section: string;
  name: string;
  kind: 'added' | 'removed' | 'altered';
  before: string;
  after: string;
}

const fieldText = (f: FieldSnapshot) =>
  `${f.data_type}${f.nullable ? '' : ' NOT NULL'}${f.default !== null && f.default !== undefined ? ` DEFAULT ${f.default}` : ''}${
    f.primary_key ? ' PK' : ''
  }`;

const val = (v: unknown) =>
  v === null || v === undefined ? '∅' : typeof v === 'object' ? JSON.stringify(v) : String(v);

function isChange(v: unknown): v is ValueChange {
  return typeof v === 'object' && v !== null && 'old' in v && 'new' in v;
}

/** "data_type: int → bigint" for each changed attribute (nested properties flattened). */
function changeLines(changes: Record<string, unknown>): [string, string] {
  const before: string[] = [];
  const after: string[] = [];
  for (const [attr, c] of Object.entries(changes)) {
    if (isChange(c)) {
      before.push(`${attr}: ${val(c.old)}`);
      after.push(`${attr}: ${val(c.new)}`);
    } else if (c && typeof c === 'object') {
      const [b, a] = changeLines(c as Record<string, unknown>);
      if (b) before.push(b.replace(/^/gm, `${attr}.`));
      if (a) after.push(a.replace(/^/gm, `${attr}.`));
    }
  }
  return [before.join('\n'), after.join('\n')];
}

function listRows(section: string, list: NamedList | undefined): DiffRow[] {
  if (!list) return [];
  return [
    ...(list.removed ?? []).map((x) => ({
      section,
      name: x.name,
      kind: 'removed' as const,
      before: val(x),
      after: '',
    })),
    ...(list.added ?? []).map((x) => ({ section, name: x.name, kind: 'added' as const, before: '', after: val(x) })),
    ...(list.altered ?? []).map((x) => ({
      section,
      name: x.name,
      kind: 'altered' as const,
      before: val(x.old),
      after: val(x.new),
    })),
  ];
}

export function diffRows(diff: AssetDiff): DiffRow[] {
  const rows: DiffRow[] = [];
  if (diff.asset && Object.keys(diff.asset).length) {
    const [before, after] = changeLines(diff.asset as Record<string, unknown>);
    rows.push({ section: 'asset', name: '(the asset)', kind: 'altered', before, after });
  }
  const f = diff.fields;
  for (const x of f?.removed ?? [])
    rows.push({ section: 'field', name: x.name, kind: 'removed', before: fieldText(x), after: '' });
  for (const x of f?.added ?? [])
    rows.push({ section: 'field', name: x.name, kind: 'added', before: '', after: fieldText(x) });
  for (const x of f?.altered ?? []) {
    const [before, after] = changeLines(x.changes);
    rows.push({ section: 'field', name: x.name, kind: 'altered', before, after });
  }
  return [...rows, ...listRows('key', diff.keys), ...listRows('index', diff.indexes)];
}

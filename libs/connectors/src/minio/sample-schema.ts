/**
 * Infers columns from the first bytes of one CSV/TSV or JSON-lines object. Pure: fed a buffer
 * that may stop mid-record (`complete` false), in which case the last partial record is dropped.
 */
import { CatalogField } from '../core/types';

export type SampleFormat = 'csv' | 'tsv' | 'jsonl' | 'json' | 'avro' | 'parquet';

export interface SchemaSample {
  format: SampleFormat;
  /** Records read; null where only a header was read (Avro). */
  rows: number | null;
  fields: CatalogField[];
  /** Records that could not be parsed (JSON lines only). */
  invalid: number;
}

// ---- CSV ---------------------------------------------------------------------------------

/** RFC 4180 records: quoted fields, doubled quotes, CR/LF; returns whether the text ended inside a record. */
export function parseCsv(text: string, delimiter: string): { records: string[][]; trailingPartial: boolean } {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  let fieldStarted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (c === delimiter) {
      record.push(field);
      field = '';
      fieldStarted = false;
    } else if (c === '\n' || c === '\r') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      fieldStarted = false;
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else {
      field += c;
      fieldStarted = true;
    }
    i++;
  }
  const trailingPartial = quoted || fieldStarted || record.length > 0;
  if (trailingPartial) {
    record.push(field);
    records.push(record);
  }
  return { records, trailingPartial };
}

/** The delimiter among , ; tab | that occurs most often in the header line (outside quotes). */
export function detectDelimiter(headerLine: string): string {
  const unquoted = headerLine.replace(/"[^"]*"/g, '');
  const candidates = [',', ';', '\t', '|'];
  let best = ',';
  let bestCount = 0;
  for (const d of candidates) {
    const n = unquoted.split(d).length - 1;
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

type ScalarType = 'integer' | 'number' | 'boolean' | 'date' | 'timestamp' | 'string';

function scalarType(value: string): ScalarType {
  const v = value.trim();
  if (/^[-+]?\d{1,18}$/.test(v)) return 'integer';
  if (/^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/.test(v)) return 'number';
  if (/^(true|false)$/i.test(v)) return 'boolean';
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return 'date';
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(v)) return 'timestamp';
  return 'string';
}

/** Widens two inferred types to one that holds both. */
function widen(a: ScalarType | null, b: ScalarType): ScalarType {
  if (a === null || a === b) return b;
  const numeric = new Set<ScalarType>(['integer', 'number']);
  if (numeric.has(a) && numeric.has(b)) return 'number';
  const temporal = new Set<ScalarType>(['date', 'timestamp']);
  if (temporal.has(a) && temporal.has(b)) return 'timestamp';
  return 'string';
}

export function inferCsv(
  text: string,
  options: { complete: boolean; delimiter?: string; maxRows?: number },
): SchemaSample {
  const firstLine = text.slice(0, text.search(/\r?\n/) >= 0 ? text.search(/\r?\n/) : text.length);
  const delimiter = options.delimiter ?? detectDelimiter(firstLine);
  const parsed = parseCsv(text, delimiter);
  let records = parsed.records;
  if (!options.complete && parsed.trailingPartial) records = records.slice(0, -1);
  records = records.filter((r) => !(r.length === 1 && r[0] === ''));
  const [header, ...rows] = records;
  if (!header) return { format: delimiter === '\t' ? 'tsv' : 'csv', rows: 0, fields: [], invalid: 0 };
  const data = rows.slice(0, options.maxRows ?? rows.length);
  const seen = new Set<string>();
  const names = header.map((h, i) => {
    let name = h.trim() || `column_${i + 1}`;
    while (seen.has(name)) name = `${name}_${i + 1}`;
    seen.add(name);
    return name;
  });
  const fields: CatalogField[] = names.map((name, col) => {
    let type: ScalarType | null = null;
    let empty = 0;
    for (const row of data) {
      const value = row[col];
      if (value === undefined || value.trim() === '') empty++;
      else type = widen(type, scalarType(value));
    }
    return {
      name,
      ordinal: col + 1,
      dataType: type ?? 'string',
      nullable: empty > 0 || data.length === 0,
      properties: { inferred: true, empty_values: empty },
    };
  });
  return { format: delimiter === '\t' ? 'tsv' : 'csv', rows: data.length, fields, invalid: 0 };
}

// ---- JSON ---------------------------------------------------------------------------------

type JsonType = 'integer' | 'number' | 'boolean' | 'string' | 'object' | 'array' | 'null';

function jsonType(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  return 'object';
}

interface PathStats {
  order: number;
  present: number;
  types: Map<JsonType, number>;
}

function visit(value: Record<string, unknown>, prefix: string, paths: Map<string, PathStats>): void {
  for (const [key, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    let stats = paths.get(path);
    if (!stats) paths.set(path, (stats = { order: paths.size, present: 0, types: new Map() }));
    stats.present++;
    const t = jsonType(v);
    stats.types.set(t, (stats.types.get(t) ?? 0) + 1);
    if (t === 'object') visit(v as Record<string, unknown>, path, paths);
  }
}

/** Documents → fields with dotted paths, type distribution and presence ratio. */
export function inferDocuments(
  docs: readonly Record<string, unknown>[],
  format: SampleFormat,
  invalid = 0,
): SchemaSample {
  const paths = new Map<string, PathStats>();
  for (const d of docs) visit(d, '', paths);
  const fields = [...paths.entries()]
    .sort((a, b) => a[1].order - b[1].order)
    .map(([path, s], i): CatalogField => {
      const nonNull = [...s.types.keys()].filter((t) => t !== 'null');
      const widened =
        nonNull.length === 2 && nonNull.includes('integer') && nonNull.includes('number') ? ['number'] : nonNull.sort();
      const parentCount = path.includes('.')
        ? (paths.get(path.slice(0, path.lastIndexOf('.')))?.types.get('object') ?? docs.length)
        : docs.length;
      return {
        name: path,
        ordinal: i + 1,
        dataType: widened.length ? widened.join('|') : 'null',
        nullable: s.present < parentCount || s.types.has('null'),
        ...(path.includes('.') ? { path } : {}),
        properties: {
          inferred: true,
          presence_ratio: docs.length ? Math.round((s.present / docs.length) * 1000) / 1000 : 0,
          types: Object.fromEntries(s.types),
        },
      };
    });
  return { format, rows: docs.length, fields, invalid };
}

const isDocument = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function inferJsonLines(text: string, options: { complete: boolean; maxRows?: number }): SchemaSample {
  let lines = text.split(/\r?\n/);
  if (!options.complete) lines = lines.slice(0, -1);
  const docs: Record<string, unknown>[] = [];
  let invalid = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    if (docs.length >= (options.maxRows ?? Infinity)) break;
    try {
      const v: unknown = JSON.parse(line);
      if (isDocument(v)) docs.push(v);
      else invalid++;
    } catch {
      invalid++;
    }
  }
  return inferDocuments(docs, 'jsonl', invalid);
}

/** A `.json` object: a whole array of documents or one document when read completely, else JSON lines. */
export function inferJson(text: string, options: { complete: boolean; maxRows?: number }): SchemaSample {
  if (options.complete) {
    try {
      const v: unknown = JSON.parse(text);
      if (Array.isArray(v))
        return inferDocuments(
          v.filter(isDocument).slice(0, options.maxRows),
          'json',
          v.filter((x) => !isDocument(x)).length,
        );
      if (isDocument(v)) return inferDocuments([v], 'json');
    } catch {
      // Not one JSON value: many .json files are JSON lines.
    }
  }
  return inferJsonLines(text, options);
}

export function inferSample(format: string, text: string, complete: boolean, maxRows = 1000): SchemaSample | null {
  switch (format) {
    case 'csv':
      return inferCsv(text, { complete, maxRows });
    case 'tsv':
      return inferCsv(text, { complete, delimiter: '\t', maxRows });
    case 'jsonl':
    case 'ndjson':
      return inferJsonLines(text, { complete, maxRows });
    case 'json':
      return inferJson(text, { complete, maxRows });
    default:
      return null;
  }
}

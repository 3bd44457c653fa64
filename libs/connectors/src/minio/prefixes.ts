/**
 * Aggregates an object listing into per-bucket and per-prefix statistics (object count, bytes,
 * last modified, formats by extension) for prefixes up to a depth. Pure: fed one object at a time.
 */
import { createHash, Hash } from 'node:crypto';

export interface ListedObject {
  key: string;
  size: number;
  lastModified: Date | null;
  etag: string;
}

export interface PrefixStats {
  /** `''` for the bucket itself, else the prefix with its trailing `/` (`logs/2024/`). */
  prefix: string;
  depth: number;
  objects: number;
  bytes: number;
  lastModified: Date | null;
  formats: Record<string, number>;
  /** First object (in listing order) whose format the schema sampler reads. */
  sampleKey: string | null;
  sampleSize: number | null;
  /** Hash of the keys, sizes and ETags below the prefix, in listing order. */
  fingerprint: string;
}

const COMPRESSIONS = new Set(['gz', 'gzip', 'bz2', 'zst', 'zstd', 'xz', 'lz4', 'snappy', 'zip']);

/** `data.csv` → `csv`, `x.CSV.GZ` → `csv.gz`, `README` → `(none)`. */
export function formatOf(key: string): string {
  const file = key.slice(key.lastIndexOf('/') + 1).toLowerCase();
  const parts = file.split('.');
  if (parts.length < 2 || (parts[0] === '' && parts.length === 2)) return '(none)';
  const last = parts[parts.length - 1];
  if (COMPRESSIONS.has(last) && parts.length >= 3) return `${parts[parts.length - 2]}.${last}`;
  return last;
}

export const SAMPLEABLE_FORMATS = new Set(['csv', 'tsv', 'jsonl', 'ndjson', 'json', 'avro', 'parquet']);

interface Accumulator {
  stats: Omit<PrefixStats, 'fingerprint'>;
  hash: Hash;
}

export class PrefixAggregator {
  private readonly byPrefix = new Map<string, Accumulator>();

  constructor(private readonly maxDepth: number) {
    this.byPrefix.set('', PrefixAggregator.empty('', 0));
  }

  private static empty(prefix: string, depth: number): Accumulator {
    return {
      stats: {
        prefix,
        depth,
        objects: 0,
        bytes: 0,
        lastModified: null,
        formats: {},
        sampleKey: null,
        sampleSize: null,
      },
      hash: createHash('sha1'),
    };
  }

  /** Ancestor prefixes of a key up to the depth: `a/b/c.csv` at depth 2 → `a/`, `a/b/`. */
  prefixesOf(key: string): string[] {
    const segments = key.split('/');
    const out: string[] = [];
    for (let d = 1; d <= Math.min(this.maxDepth, segments.length - 1); d++)
      out.push(`${segments.slice(0, d).join('/')}/`);
    return out;
  }

  add(object: ListedObject): void {
    // Zero-byte "folder" markers that consoles create are not data.
    if (object.key.endsWith('/') && object.size === 0) return;
    const format = formatOf(object.key);
    const targets = ['', ...this.prefixesOf(object.key)];
    targets.forEach((prefix, depth) => {
      let acc = this.byPrefix.get(prefix);
      if (!acc) this.byPrefix.set(prefix, (acc = PrefixAggregator.empty(prefix, depth)));
      const s = acc.stats;
      s.objects++;
      s.bytes += object.size;
      if (object.lastModified && (!s.lastModified || object.lastModified > s.lastModified))
        s.lastModified = object.lastModified;
      s.formats[format] = (s.formats[format] ?? 0) + 1;
      if (!s.sampleKey && object.size > 0 && SAMPLEABLE_FORMATS.has(format)) {
        s.sampleKey = object.key;
        s.sampleSize = object.size;
      }
      acc.hash.update(`${object.key}\u0000${object.size}\u0000${object.etag}\n`);
    });
  }

  /** The bucket's own totals and every prefix, in name order. Call once. */
  finish(): { bucket: PrefixStats; prefixes: PrefixStats[] } {
    const done = (acc: Accumulator): PrefixStats => ({ ...acc.stats, fingerprint: acc.hash.digest('hex') });
    const bucket = done(this.byPrefix.get('')!);
    const prefixes = [...this.byPrefix.entries()]
      .filter(([p]) => p !== '')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, acc]) => done(acc));
    return { bucket, prefixes };
  }
}

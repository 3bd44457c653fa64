/**
 * Finds table layouts in an object listing: Apache Iceberg tables (`<root>/metadata/*.metadata.json`),
 * Delta Lake tables (`<root>/_delta_log/<version>.json`) and Hive-style partitioned datasets
 * (`<root>/<key>=<value>/…`). Pure: fed one listed object at a time; keeps only the objects that matter.
 */
import { createHash } from 'node:crypto';
import { ListedObject } from './prefixes';

export interface IcebergLayout {
  kind: 'iceberg';
  root: string;
  /** Metadata files by version, and the version hint when the table has one. */
  metadata: { version: number; object: ListedObject }[];
  versionHint: ListedObject | null;
  fingerprint: string;
}

export interface DeltaLayout {
  kind: 'delta';
  root: string;
  commits: { version: number; object: ListedObject }[];
  checkpoints: number;
  fingerprint: string;
}

export interface HiveLayout {
  kind: 'hive';
  root: string;
  partitionColumns: string[];
  /** Distinct partition folders (`dt=2024-01-01/region=eu/`) and the values seen per column. */
  partitions: string[];
  values: Record<string, string[]>;
  objects: ListedObject[];
  fingerprint: string;
}

export type TableLayout = IcebergLayout | DeltaLayout | HiveLayout;

const ICEBERG_METADATA = /^(.+\/)?metadata\/(?:v(\d+)|(\d+)-[0-9a-f-]+)(?:\.gz)?\.metadata\.json$/i;
const ICEBERG_HINT = /^(.+\/)?metadata\/version-hint\.text$/;
const DELTA_COMMIT = /^(.+\/)?_delta_log\/(\d{20})\.json$/;
const DELTA_CHECKPOINT = /^(.+\/)?_delta_log\/\d{20}\.checkpoint(?:\.\d+\.\d+)?\.parquet$/;
const HIVE_SEGMENT = /^([^=/]+)=([^/]*)$/;

interface Group {
  objects: ListedObject[];
}

function fingerprint(objects: ListedObject[]): string {
  const hash = createHash('sha1');
  for (const o of objects) hash.update(`${o.key}\0${o.size}\0${o.etag}\n`);
  return hash.digest('hex');
}

export class TableLayoutFinder {
  private readonly iceberg = new Map<string, Group>();
  private readonly delta = new Map<string, Group>();
  private readonly hive = new Map<string, Group>();

  private static push(map: Map<string, Group>, root: string, o: ListedObject): void {
    const group = map.get(root) ?? { objects: [] };
    group.objects.push(o);
    map.set(root, group);
  }

  add(o: ListedObject): void {
    const iceberg = ICEBERG_METADATA.exec(o.key) ?? ICEBERG_HINT.exec(o.key);
    if (iceberg?.[1]) return TableLayoutFinder.push(this.iceberg, iceberg[1], o);
    const delta = DELTA_COMMIT.exec(o.key) ?? DELTA_CHECKPOINT.exec(o.key);
    if (delta?.[1]) return TableLayoutFinder.push(this.delta, delta[1], o);
    const segments = o.key.split('/');
    const first = segments.findIndex((s, i) => i < segments.length - 1 && HIVE_SEGMENT.test(s));
    // A dataset at the bucket root has no prefix to be named by; only nested ones are recognised.
    if (first > 0) TableLayoutFinder.push(this.hive, `${segments.slice(0, first).join('/')}/`, o);
  }

  finish(): TableLayout[] {
    const out: TableLayout[] = [];
    const tableRoots = [...this.iceberg.keys(), ...this.delta.keys()];
    for (const [root, { objects }] of this.iceberg) {
      const metadata = objects.flatMap((object) => {
        const m = ICEBERG_METADATA.exec(object.key);
        return m ? [{ version: Number(m[2] ?? m[3]), object }] : [];
      });
      if (!metadata.length) continue;
      metadata.sort((a, b) => a.version - b.version);
      const versionHint = objects.find((o) => ICEBERG_HINT.test(o.key)) ?? null;
      out.push({ kind: 'iceberg', root, metadata, versionHint, fingerprint: fingerprint(objects) });
    }
    for (const [root, { objects }] of this.delta) {
      const commits = objects.flatMap((object) => {
        const m = DELTA_COMMIT.exec(object.key);
        return m ? [{ version: Number(m[2]), object }] : [];
      });
      commits.sort((a, b) => a.version - b.version);
      const checkpoints = objects.length - commits.length;
      out.push({ kind: 'delta', root, commits, checkpoints, fingerprint: fingerprint(objects) });
    }
    for (const [root, { objects }] of this.hive) {
      // Partition folders of an Iceberg or Delta table belong to that table.
      if (tableRoots.some((t) => root.startsWith(t))) continue;
      const layout = hiveLayout(root, objects);
      if (layout) out.push(layout);
    }
    return out.sort((a, b) => (a.root < b.root ? -1 : 1));
  }
}

function hiveLayout(root: string, objects: ListedObject[]): HiveLayout | null {
  const perObject: [string, string][][] = [];
  let columns: string[] | null = null;
  for (const o of objects) {
    const pairs: [string, string][] = [];
    for (const folder of o.key.slice(root.length).split('/').slice(0, -1)) {
      const m = HIVE_SEGMENT.exec(folder);
      if (!m) break;
      pairs.push([m[1], m[2]]);
    }
    perObject.push(pairs);
    // The leading run of keys every object shares is the partition scheme.
    if (columns === null) columns = pairs.map(([k]) => k);
    else {
      const differs = columns.findIndex((c, i) => pairs[i]?.[0] !== c);
      if (differs >= 0) columns = columns.slice(0, differs);
    }
  }
  if (!columns?.length) return null;
  const depth = columns.length;
  const partitions = new Set<string>();
  const values: Record<string, Set<string>> = Object.fromEntries(columns.map((c) => [c, new Set<string>()]));
  for (const pairs of perObject) {
    const used = pairs.slice(0, depth);
    partitions.add(used.map(([k, v]) => `${k}=${v}`).join('/') + '/');
    for (const [k, v] of used) values[k].add(safeDecode(v));
  }
  return {
    kind: 'hive',
    root,
    partitionColumns: columns,
    partitions: [...partitions].sort(),
    values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, [...v].sort()])),
    objects,
    fingerprint: fingerprint(objects),
  };
}

/** Hive escapes special characters in partition values as %XX. */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

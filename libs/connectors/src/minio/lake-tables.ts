/**
 * One catalog asset per table layout found in a bucket: Iceberg (`iceberg_table`), Delta Lake
 * (`delta_table`) and Hive-style partitioned folders (`dataset`). Reads only metadata files, each
 * bounded by max_metadata_bytes; a table whose metadata cannot be read is still listed, with the reason.
 */
import { gunzipSync } from 'node:zlib';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { CatalogAsset, CatalogField } from '../core/types';
import { MinioSettings } from './config';
import { deltaFields, deltaMetaDataOf, DeltaMetaData } from './delta-log';
import { parseIcebergMetadata } from './iceberg-metadata';
import { formatOf, ListedObject, SAMPLEABLE_FORMATS } from './prefixes';
import type { S3Api } from './s3-api';
import { readObjectRange, readSample } from './sample-reader';
import { DeltaLayout, HiveLayout, IcebergLayout, TableLayout } from './table-layouts';

interface Reader {
  client: S3Api;
  bucket: string;
  settings: MinioSettings;
  signal: AbortSignal;
}

async function readWhole(r: Reader, o: ListedObject): Promise<string> {
  if (o.size > r.settings.maxMetadataBytes)
    throw new Error(`${o.key} is ${o.size} bytes, over max_metadata_bytes (${r.settings.maxMetadataBytes})`);
  if (o.size === 0) return '';
  const body = await readObjectRange(
    r.client,
    r.bucket,
    o.key,
    { offset: 0, length: o.size },
    r.settings.timeoutMs,
    r.signal,
  );
  // Iceberg writers may gzip metadata files (`*.gz.metadata.json`).
  const gzipped = body.length > 2 && body[0] === 0x1f && body[1] === 0x8b;
  return (gzipped ? gunzipSync(body, { maxOutputLength: r.settings.maxMetadataBytes }) : body).toString('utf8');
}

const stats = (objects: ListedObject[]) => {
  let bytes = 0;
  let last = 0;
  for (const o of objects) {
    bytes += o.size;
    last = Math.max(last, o.lastModified?.getTime() ?? 0);
  }
  return { bytes, lastModified: last ? new Date(last).toISOString() : null };
};

/** Runs a metadata read; cancellation and timeouts end the run, anything else is the table's own error. */
async function attempt<T>(work: () => Promise<T>): Promise<{ value?: T; error?: string }> {
  try {
    return { value: await work() };
  } catch (err) {
    if (err instanceof ConnectorError && err.code === ConnectorErrorCode.Cancelled) throw err;
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

async function icebergAsset(r: Reader, t: IcebergLayout): Promise<CatalogAsset> {
  const hinted = t.versionHint
    ? await attempt(async () => Number((await readWhole(r, t.versionHint!)).trim().replace(/^v/, '')))
    : {};
  const current = t.metadata.find((m) => m.version === hinted.value) ?? t.metadata[t.metadata.length - 1];
  const parsed = await attempt(async () => parseIcebergMetadata(await readWhole(r, current.object)));
  return {
    namespace: r.bucket,
    name: t.root.slice(0, -1),
    kind: 'iceberg_table',
    properties: {
      format: 'iceberg',
      location: t.root,
      metadata_file: current.object.key,
      metadata_version: current.version,
      metadata_files: t.metadata.length,
      version_hint: t.versionHint ? (hinted.value ?? null) : null,
      ...(parsed.value?.properties ?? {}),
      ...(parsed.error ? { error: parsed.error } : {}),
    },
    ...(parsed.value?.rows != null ? { statistics: { rows: parsed.value.rows } } : {}),
    fields: parsed.value?.fields ?? [],
    changeSignal: t.fingerprint,
  };
}

async function deltaAsset(r: Reader, t: DeltaLayout): Promise<CatalogAsset> {
  const newestFirst = [...t.commits].reverse().slice(0, r.settings.maxLogFiles);
  const found = await attempt(async () => {
    for (const c of newestFirst) {
      const meta = deltaMetaDataOf(await readWhole(r, c.object));
      if (meta) return { meta, version: c.version };
    }
    return null;
  });
  const meta: DeltaMetaData | undefined = found.value?.meta;
  const fields = meta ? await attempt(async () => deltaFields(meta.schemaString, meta.partitionColumns)) : {};
  const error =
    found.error ??
    fields.error ??
    (meta
      ? undefined
      : `No metaData action in the newest ${newestFirst.length} commit file(s)` +
        (t.checkpoints ? ' (it may be in a checkpoint, which is not read)' : ''));
  return {
    namespace: r.bucket,
    name: t.root.slice(0, -1),
    kind: 'delta_table',
    properties: {
      format: 'delta',
      location: t.root,
      version: t.commits.length ? t.commits[t.commits.length - 1].version : null,
      commit_files: t.commits.length,
      checkpoints: t.checkpoints,
      partition_columns: meta?.partitionColumns ?? [],
      metadata_version: found.value?.version ?? null,
      table_id: meta?.id ?? null,
      table_name: meta?.name ?? null,
      data_format: meta?.format ?? null,
      created_time: meta?.createdTime ? new Date(meta.createdTime).toISOString() : null,
      ...(error ? { error } : {}),
    },
    fields: fields.value ?? [],
    comment: meta?.description ?? null,
    changeSignal: t.fingerprint,
  };
}

function partitionType(values: string[]): string {
  if (values.length && values.every((v) => /^-?\d+$/.test(v))) return 'integer';
  if (values.length && values.every((v) => /^\d{4}-\d{2}-\d{2}$/.test(v))) return 'date';
  return 'string';
}

async function hiveAsset(r: Reader, t: HiveLayout): Promise<CatalogAsset> {
  const sampleObject = r.settings.sampleSchema
    ? t.objects.find((o) => o.size > 0 && SAMPLEABLE_FORMATS.has(formatOf(o.key)))
    : undefined;
  const sample = sampleObject
    ? await readSample(
        r.client,
        r.bucket,
        sampleObject.key,
        sampleObject.size,
        {
          sampleBytes: r.settings.sampleBytes,
          maxFooterBytes: r.settings.maxFooterBytes,
          timeoutMs: r.settings.timeoutMs,
        },
        r.signal,
      )
    : undefined;
  const partitionSet = new Set(t.partitionColumns);
  // A data file may repeat a partition column; the folder's value is the one that counts.
  const data = (sample?.sample?.fields ?? []).filter((f) => !partitionSet.has(f.name));
  const fields: CatalogField[] = [
    ...data,
    ...t.partitionColumns.map((c) => ({
      name: c,
      ordinal: 0,
      dataType: partitionType(t.values[c]),
      nullable: t.values[c].includes('__HIVE_DEFAULT_PARTITION__'),
      properties: { partition: true, distinct_values: t.values[c].length },
    })),
  ].map((f, i) => ({ ...f, ordinal: i + 1 }));
  const { bytes, lastModified } = stats(t.objects);
  const formats: Record<string, number> = {};
  for (const o of t.objects) formats[formatOf(o.key)] = (formats[formatOf(o.key)] ?? 0) + 1;
  return {
    namespace: r.bucket,
    name: t.root.slice(0, -1),
    kind: 'dataset',
    properties: {
      format: 'hive',
      location: t.root,
      partition_columns: t.partitionColumns,
      partition_count: t.partitions.length,
      object_count: t.objects.length,
      bytes,
      last_modified: lastModified,
      formats,
      schema_sample: sample
        ? {
            object: sample.object,
            format: sample.format,
            bytes_read: sample.bytes_read,
            ...(sample.parquet ? { parquet: sample.parquet } : {}),
            ...(sample.error ? { error: sample.error } : {}),
          }
        : null,
    },
    statistics: { bytes },
    fields,
    changeSignal: t.fingerprint,
  };
}

export function lakeTableAsset(r: Reader, t: TableLayout): Promise<CatalogAsset> {
  if (t.kind === 'iceberg') return icebergAsset(r, t);
  if (t.kind === 'delta') return deltaAsset(r, t);
  return hiveAsset(r, t);
}

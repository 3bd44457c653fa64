/** Reads the first bytes of one object with a ranged GET and infers its columns. */
import { withDeadline } from '../core/diagnostics';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import type { S3Api } from './s3-api';
import { avroHeaderFields, avroHeaderSchema } from './avro-header';
import { parquetFooterLength, parseParquetFooter } from './parquet-footer';
import { formatOf } from './prefixes';
import { inferSample, SchemaSample } from './sample-schema';

export interface SampleOutcome {
  object: string;
  format: string;
  bytes_read: number;
  complete: boolean;
  sample?: SchemaSample;
  error?: string;
  /** Parquet only: what the footer says about the whole file. */
  parquet?: { rows: number; row_groups: number; created_by: string | null; footer_bytes: number };
}

export interface SampleBounds {
  sampleBytes: number;
  maxFooterBytes: number;
  timeoutMs: number;
}

type Ranged = (offset: number, length: number) => Promise<Buffer>;

/** The footer from the object's tail: one ranged GET, a second only when the footer is longer than the first read. */
async function readParquet(key: string, size: number, bounds: SampleBounds, ranged: Ranged): Promise<SampleOutcome> {
  const tailLength = Math.min(bounds.sampleBytes, size);
  let tail = await ranged(size - tailLength, tailLength);
  let bytesRead = tail.length;
  const footerLength = parquetFooterLength(tail);
  if (footerLength === null || footerLength > size)
    throw new Error('No Parquet footer (PAR1) at the end of the object');
  if (footerLength > bounds.maxFooterBytes)
    throw new Error(`Parquet footer of ${footerLength} bytes exceeds max_footer_bytes (${bounds.maxFooterBytes})`);
  if (footerLength > tail.length) {
    tail = await ranged(size - footerLength, footerLength);
    bytesRead += tail.length;
  }
  const footer = parseParquetFooter(tail.subarray(tail.length - footerLength));
  return {
    object: key,
    format: 'parquet',
    bytes_read: bytesRead,
    complete: bytesRead >= size,
    sample: { format: 'parquet', rows: null, fields: footer.fields, invalid: 0 },
    parquet: {
      rows: footer.rows,
      row_groups: footer.rowGroups,
      created_by: footer.createdBy,
      footer_bytes: footerLength,
    },
  };
}

async function readAtMost(stream: NodeJS.ReadableStream & { destroy?: () => void }, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      chunks.push(buf);
      total += buf.length;
      if (total >= limit) break;
    }
  } finally {
    stream.destroy?.();
  }
  return Buffer.concat(chunks).subarray(0, limit);
}

/** One ranged GET of at most `length` bytes, within the timeout. */
export function readObjectRange(
  client: S3Api,
  bucket: string,
  key: string,
  range: { offset: number; length: number },
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Buffer> {
  return withDeadline(
    (async () => readAtMost(await client.getPartialObject(bucket, key, range.offset, range.length), range.length))(),
    timeoutMs,
    signal,
    `Reading ${key}`,
  );
}

export async function readSample(
  client: S3Api,
  bucket: string,
  key: string,
  objectSize: number,
  bounds: SampleBounds,
  signal: AbortSignal,
): Promise<SampleOutcome> {
  const format = formatOf(key);
  const maxBytes = bounds.sampleBytes;
  const ranged: Ranged = (offset, length) =>
    readObjectRange(client, bucket, key, { offset, length }, bounds.timeoutMs, signal);
  try {
    if (format === 'parquet') return await readParquet(key, objectSize, bounds, ranged);
    const body = await ranged(0, Math.min(maxBytes, objectSize));
    const complete = objectSize <= maxBytes && body.length >= objectSize;
    if (format === 'avro') {
      const header = avroHeaderSchema(body);
      if (!header) throw new Error(`No Avro container header in the first ${body.length} bytes`);
      const fields = avroHeaderFields(header.schema);
      return {
        object: key,
        format,
        bytes_read: body.length,
        complete,
        sample: { format: 'avro', rows: null, fields, invalid: 0 },
      };
    }
    const text = body.toString('utf8').replace(/^\uFEFF/, '');
    const sample = inferSample(format, text, complete) ?? undefined;
    return { object: key, format, bytes_read: body.length, complete, sample };
  } catch (err) {
    if (err instanceof ConnectorError && err.code === ConnectorErrorCode.Cancelled) throw err;
    // One unreadable sample (permissions, encryption) leaves the prefix without fields, not the run failed.
    return {
      object: key,
      format,
      bytes_read: 0,
      complete: false,
      error: err instanceof Error ? err.message : String(err),
    };
  }
}

/** Reads the first bytes of one object with a ranged GET and infers its columns. */
import { withDeadline } from '../core/diagnostics';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import type { S3Api } from './s3-api';
import { formatOf } from './prefixes';
import { inferSample, SchemaSample } from './sample-schema';

export interface SampleOutcome {
  object: string;
  format: string;
  bytes_read: number;
  complete: boolean;
  sample?: SchemaSample;
  error?: string;
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

export async function readSample(
  client: S3Api,
  bucket: string,
  key: string,
  objectSize: number,
  maxBytes: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<SampleOutcome> {
  const format = formatOf(key);
  const length = Math.min(maxBytes, objectSize);
  try {
    const body = await withDeadline(
      (async () => readAtMost(await client.getPartialObject(bucket, key, 0, length), length))(),
      timeoutMs,
      signal,
      `Reading a sample of ${key}`,
    );
    const complete = objectSize <= maxBytes && body.length >= objectSize;
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

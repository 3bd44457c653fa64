/**
 * Bucket-level settings read one API call each: versioning, lifecycle, object lock, policy and
 * tags. "Not configured" answers become null/empty; a server that does not implement a call (or
 * refuses it) is recorded under `unavailable` instead of failing the bucket.
 */
import { withDeadline } from '../core/diagnostics';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import type { S3Api } from './s3-api';
import { s3Code } from './errors';

/** S3/MinIO error codes that mean "this bucket has none", not "the call failed". */
const NOT_CONFIGURED = new Set([
  'NoSuchLifecycleConfiguration',
  'NoSuchBucketPolicy',
  'NoSuchTagSet',
  'NoSuchTagSetError',
  'ObjectLockConfigurationNotFoundError',
  'ObjectLockConfigurationNotFound',
  'NoSuchObjectLockConfiguration',
]);

export interface BucketSettings {
  versioning: { status: string; mfa_delete: string | null } | null;
  lifecycle: { rules: number; rule_summaries: Array<Record<string, unknown>> } | null;
  object_lock: { enabled: boolean; mode: string | null; validity: number | null; unit: string | null } | null;
  policy: unknown;
  public_read: boolean | null;
  tags: Record<string, string>;
  /** Settings the server would not report, with its answer. */
  unavailable: Record<string, string>;
}

const toArray = <T>(v: T | T[] | undefined | null): T[] =>
  v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);

function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
}

/** One lifecycle rule as minio-js returns it from the S3 XML (`ID`, `Status`, `Filter`, `Expiration`, `Transition`). */
function summarizeRule(rule: unknown): Record<string, unknown> {
  const r = record(rule);
  const filter = record(r.Filter);
  const expiration = record(r.Expiration);
  const transition = record(r.Transition);
  return {
    id: str(r.ID),
    status: str(r.Status),
    prefix: str(filter.Prefix) ?? str(r.Prefix) ?? str(record(filter.And).Prefix),
    expiration_days: str(expiration.Days) !== null ? Number(expiration.Days) : null,
    transition_days: str(transition.Days) !== null ? Number(transition.Days) : null,
    transition_storage_class: str(transition.StorageClass),
    noncurrent_expiration_days:
      str(record(r.NoncurrentVersionExpiration).NoncurrentDays) !== null
        ? Number(record(r.NoncurrentVersionExpiration).NoncurrentDays)
        : null,
  };
}

/** True when a statement lets anyone (`"*"`) read objects. */
export function allowsPublicRead(policy: unknown): boolean {
  return toArray(record(policy).Statement).some((s) => {
    const st = record(s);
    const principal = st.Principal;
    const anyone = principal === '*' || toArray(record(principal).AWS as string | string[] | undefined).includes('*');
    const actions = toArray(st.Action as string | string[] | undefined);
    return st.Effect === 'Allow' && anyone && actions.some((a) => a === 's3:GetObject' || a === 's3:*' || a === '*');
  });
}

export async function readBucketSettings(
  client: S3Api,
  bucket: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<BucketSettings> {
  const settings: BucketSettings = {
    versioning: null,
    lifecycle: null,
    object_lock: null,
    policy: null,
    public_read: null,
    tags: {},
    unavailable: {},
  };
  const attempt = async <T>(name: string, work: () => Promise<T>, apply: (value: T | null) => void) => {
    try {
      apply(await withDeadline(work(), timeoutMs, signal, `Reading ${name} of ${bucket}`));
    } catch (err) {
      if (err instanceof ConnectorError && err.code === ConnectorErrorCode.Cancelled) throw err;
      const code = s3Code(err);
      if (code && NOT_CONFIGURED.has(code)) apply(null);
      else settings.unavailable[name] = `${code ?? 'error'}: ${err instanceof Error ? err.message : String(err)}`;
    }
  };

  await attempt(
    'versioning',
    () => client.getBucketVersioning(bucket),
    (v) => {
      // Servers that ignore the ?versioning subresource answer with a listing, which parses to nothing.
      if (v === undefined || v === null) throw new Error('the answer was not a VersioningConfiguration');
      const cfg = record(v);
      // A bucket that never had versioning answers an empty VersioningConfiguration.
      settings.versioning = { status: str(cfg.Status) ?? 'Off', mfa_delete: str(cfg.MfaDelete) ?? str(cfg.MFADelete) };
    },
  );
  await attempt(
    'lifecycle',
    () => client.getBucketLifecycle(bucket),
    (v) => {
      const rules = toArray(record(v).Rule);
      settings.lifecycle = v ? { rules: rules.length, rule_summaries: rules.map(summarizeRule) } : null;
    },
  );
  await attempt(
    'object_lock',
    () => client.getObjectLockConfig(bucket),
    (v) => {
      const cfg = record(v);
      settings.object_lock =
        v && Object.keys(cfg).length > 0
          ? {
              enabled: cfg.objectLockEnabled === 'Enabled',
              mode: str(cfg.mode),
              validity:
                typeof cfg.validity === 'number'
                  ? cfg.validity
                  : str(cfg.validity) !== null
                    ? Number(cfg.validity)
                    : null,
              unit: str(cfg.unit),
            }
          : null;
    },
  );
  await attempt(
    'policy',
    () => client.getBucketPolicy(bucket),
    (v) => {
      if (!v) return;
      try {
        settings.policy = JSON.parse(v) as unknown;
        settings.public_read = allowsPublicRead(settings.policy);
      } catch {
        settings.policy = v;
      }
    },
  );
  await attempt(
    'tags',
    () => client.getBucketTagging(bucket),
    (v) => {
      settings.tags = Object.fromEntries((v ?? []).map((t) => [t.Key, t.Value]));
    },
  );
  if (settings.policy === null && !('policy' in settings.unavailable)) settings.public_read = false;
  return settings;
}

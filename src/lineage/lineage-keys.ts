import { createHash } from 'node:crypto';

const hash = (...parts: string[]): string => createHash('sha256').update(parts.join('\u0000')).digest('hex');

/** A dataset as the lineage graph names it: a catalog asset of a registered source, or an external one. */
export type DatasetSpec =
  | { dataSourceId: string; namespace: string; name: string; olNamespace?: string; olName?: string }
  | { dataSourceId: null; namespace: string; name: string; olNamespace: string; olName: string };

/** The identity of a dataset node: the same asset always gets the same key, whoever reports it. */
export function datasetKey(d: DatasetSpec): string {
  return d.dataSourceId !== null
    ? hash('ds', d.dataSourceId, d.namespace, d.name)
    : hash('ol', d.olNamespace, d.olName);
}

/** The identity of an edge: one per kind, origin, endpoints and job. */
export function edgeKey(p: {
  kind: string;
  originType: string;
  origin: string;
  upstreamId: string;
  downstreamId: string;
  jobId?: string | null;
}): string {
  return hash('edge', p.kind, p.originType, p.origin, p.upstreamId, p.downstreamId, p.jobId ?? '');
}

export const contentKey = (...parts: string[]): string => hash(...parts);

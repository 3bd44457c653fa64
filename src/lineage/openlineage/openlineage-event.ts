/** The parts of OpenLineage 2-0-x events the service reads; everything else is kept as sent. */
export type Facets = Record<string, unknown>;

export interface OlDataset {
  namespace: string;
  name: string;
  facets?: Facets;
  inputFacets?: Facets;
  outputFacets?: Facets;
}

export interface OlJob {
  namespace: string;
  name: string;
  facets?: Facets;
}

export interface OlEventBase {
  eventTime: string;
  producer: string;
  schemaURL: string;
}

export interface OlRunEvent extends OlEventBase {
  eventType?: 'START' | 'RUNNING' | 'COMPLETE' | 'ABORT' | 'FAIL' | 'OTHER';
  run: { runId: string; facets?: Facets };
  job: OlJob;
  inputs?: OlDataset[];
  outputs?: OlDataset[];
}

export interface OlJobEvent extends OlEventBase {
  job: OlJob;
  inputs?: OlDataset[];
  outputs?: OlDataset[];
}

export interface OlDatasetEvent extends OlEventBase {
  dataset: OlDataset;
}

export type OlEvent =
  | { kind: 'RunEvent'; event: OlRunEvent }
  | { kind: 'JobEvent'; event: OlJobEvent }
  | { kind: 'DatasetEvent'; event: OlDatasetEvent };

import { Client, errors } from '@elastic/elasticsearch';
import { throwIfAborted } from '../core/errors';
import { assetInScope } from '../core/scope';
import { CatalogAsset } from '../core/types';
import {
  buildComponentTemplateAsset,
  buildIndexTemplateAsset,
  buildLifecyclePolicyAsset,
  buildPipelineAsset,
} from './config-objects';
import { classifyEsError } from './errors';
/** Names Elasticsearch reserves for system objects. */
const isSystemName = (name: string): boolean => name.startsWith('.');

type Json = Record<string, unknown>;

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

/** The read-only cluster privilege each list needs. */
const PRIVILEGE: Record<string, string> = {
  index_template: 'manage_index_templates',
  component_template: 'manage_index_templates',
  ingest_pipeline: 'read_pipeline',
  lifecycle_policy: 'read_ilm',
};

export interface ConfigObjects {
  assets: CatalogAsset[];
  /** Per object kind the cluster did not list, why (no ILM, not allowed, …). */
  unavailable: Record<string, string>;
}

export interface ConfigObjectOptions {
  cluster: string;
  includeSystem: boolean;
  signal: AbortSignal;
  scope: Parameters<typeof assetInScope>[0];
}

/** HTTP status of a client response error, when it is one. */
function statusOf(err: unknown): number | undefined {
  return err instanceof errors.ResponseError ? (err.statusCode ?? err.meta?.statusCode) : undefined;
}

/**
 * Reads the four configuration-object lists. A list the cluster refuses (a security refusal, no ILM
 * on the cluster, an API the distribution lacks) is recorded with the server's reason and the rest
 * goes on; failures that are not an HTTP answer (network, timeout) stop the run as any other call.
 */
export async function readConfigObjects(client: Client, options: ConfigObjectOptions): Promise<ConfigObjects> {
  const { cluster, signal } = options;
  const unavailable: Record<string, string> = {};
  const request = { signal };
  const list = async (kind: string, work: () => Promise<unknown>, noneOn404: boolean): Promise<Json> => {
    throwIfAborted(signal);
    try {
      return asObject(await work());
    } catch (err) {
      throwIfAborted(signal);
      const status = statusOf(err);
      // `_ingest/pipeline` and `_ilm/policy` answer 404 with `{}` when none exist.
      if (status === 404 && noneOn404 && Object.keys(asObject(errMetaBody(err))).length === 0) return {};
      if (status !== undefined && status >= 400 && status < 500) {
        const hint = status === 403 ? ` (needs the ${PRIVILEGE[kind]} cluster privilege)` : '';
        unavailable[kind] = classifyEsError(err).message + hint;
        return {};
      }
      throw classifyEsError(err);
    }
  };

  // One request per list, sent together.
  const [indexTemplates, componentTemplates, pipelines, policies] = await Promise.all([
    // https://www.elastic.co/guide/en/elasticsearch/reference/8.19/indices-get-template.html
    list('index_template', () => client.indices.getIndexTemplate({}, request), false),
    // https://www.elastic.co/guide/en/elasticsearch/reference/8.19/getting-component-templates.html
    list('component_template', () => client.cluster.getComponentTemplate({}, request), false),
    // https://www.elastic.co/guide/en/elasticsearch/reference/8.19/get-pipeline-api.html
    list('ingest_pipeline', () => client.ingest.getPipeline({}, request), true),
    // https://www.elastic.co/guide/en/elasticsearch/reference/8.19/ilm-get-lifecycle.html
    list('lifecycle_policy', () => client.ilm.getLifecycle({}, request), true),
  ]);

  const wanted = (name: string) => options.includeSystem || !isSystemName(name);
  const entries = (value: unknown): Json[] => (Array.isArray(value) ? value.map(asObject) : []);
  const assets: CatalogAsset[] = [
    ...entries(indexTemplates.index_templates)
      .filter((e) => wanted(String(e.name)))
      .map((e) => buildIndexTemplateAsset(cluster, e)),
    ...entries(componentTemplates.component_templates)
      .filter((e) => wanted(String(e.name)))
      .map((e) => buildComponentTemplateAsset(cluster, e)),
    ...Object.entries(pipelines)
      .filter(([id]) => wanted(id))
      .map(([id, def]) => buildPipelineAsset(cluster, id, def)),
    ...Object.entries(policies)
      .filter(([name]) => wanted(name))
      .map(([name, def]) => buildLifecyclePolicyAsset(cluster, name, def)),
  ].filter((asset) => assetInScope(options.scope, cluster, asset.name));
  return { assets, unavailable };
}

function errMetaBody(err: unknown): unknown {
  return err instanceof errors.ResponseError ? err.meta?.body : undefined;
}

/**
 * Bodies below follow the response examples of the Elasticsearch 8 reference: get index template,
 * get component template, get pipeline and get lifecycle policy.
 */
import {
  buildComponentTemplateAsset,
  buildIndexTemplateAsset,
  buildLifecyclePolicyAsset,
  buildPipelineAsset,
  processorTypes,
} from './config-objects';

const indexTemplateEntry = () => ({
  name: 'logs-app',
  index_template: {
    index_patterns: ['logs-app-*'],
    template: {
      settings: { index: { number_of_shards: '1', lifecycle: { name: 'logs' } } },
      mappings: {
        dynamic: 'strict',
        properties: { '@timestamp': { type: 'date' }, host: { properties: { name: { type: 'keyword' } } } },
      },
      aliases: { 'logs-app': {} },
    },
    composed_of: ['logs@mappings', 'logs@settings'],
    ignore_missing_component_templates: ['logs@custom'],
    priority: 200,
    version: 3,
    _meta: { description: 'app logs', managed: false },
    data_stream: { hidden: false, allow_custom_routing: false },
    allow_auto_create: true,
  },
});

describe('buildIndexTemplateAsset', () => {
  it('maps patterns, priority, composition, version, data stream, template settings and mapping fields', () => {
    const asset = buildIndexTemplateAsset('c1', indexTemplateEntry());
    expect(asset).toMatchObject({ namespace: 'c1', name: '_index_template/logs-app', kind: 'index_template' });
    expect(asset.properties).toEqual({
      index_patterns: ['logs-app-*'],
      priority: 200,
      composed_of: ['logs@mappings', 'logs@settings'],
      ignore_missing_component_templates: ['logs@custom'],
      version: 3,
      data_stream: { hidden: false, allow_custom_routing: false },
      allow_auto_create: true,
      managed: false,
      meta: { description: 'app logs', managed: false },
      settings: { number_of_shards: '1', lifecycle: { name: 'logs' } },
      aliases: ['logs-app'],
      mapping: { dynamic: 'strict' },
    });
    expect(asset.fields.map((f) => [f.name, f.dataType])).toEqual([
      ['@timestamp', 'date'],
      ['host', 'object'],
      ['host.name', 'keyword'],
    ]);
  });

  it('changes its signal with the definition and only then', () => {
    const a = buildIndexTemplateAsset('c1', indexTemplateEntry());
    expect(buildIndexTemplateAsset('c1', indexTemplateEntry()).changeSignal).toBe(a.changeSignal);
    const changed = indexTemplateEntry();
    changed.index_template.priority = 300;
    expect(buildIndexTemplateAsset('c1', changed).changeSignal).not.toBe(a.changeSignal);
  });

  it('tolerates a template with patterns only', () => {
    const asset = buildIndexTemplateAsset('c1', { name: 't', index_template: { index_patterns: 'x-*' } });
    expect(asset.properties).toEqual({ index_patterns: ['x-*'], composed_of: [], managed: false });
    expect(asset.fields).toEqual([]);
  });
});

describe('buildComponentTemplateAsset', () => {
  it('maps version, managed flag, settings, aliases, lifecycle and mapping fields', () => {
    const asset = buildComponentTemplateAsset('c1', {
      name: 'logs@mappings',
      component_template: {
        template: {
          settings: { index: { codec: 'best_compression' } },
          mappings: { properties: { message: { type: 'match_only_text' } } },
          aliases: { all_logs: { is_hidden: true } },
          lifecycle: { data_retention: '7d' },
        },
        version: 12,
        _meta: { managed: true, description: 'default mappings' },
        deprecated: true,
      },
    });
    expect(asset).toMatchObject({ name: '_component_template/logs@mappings', kind: 'component_template' });
    expect(asset.properties).toEqual({
      version: 12,
      deprecated: true,
      managed: true,
      meta: { managed: true, description: 'default mappings' },
      settings: { codec: 'best_compression' },
      aliases: ['all_logs'],
      lifecycle: { data_retention: '7d' },
      mapping: {},
    });
    expect(asset.fields.map((f) => [f.name, f.dataType])).toEqual([['message', 'match_only_text']]);
  });
});

describe('buildPipelineAsset', () => {
  const pipeline = {
    description: 'parse access logs',
    version: 123,
    processors: [
      { set: { field: 'foo', value: 'bar' } },
      { grok: { field: 'message', patterns: ['%{COMMONAPACHELOG}'], on_failure: [{ set: { field: 'x', value: 1 } }] } },
      { pipeline: { name: 'geoip-enrich' } },
      { set: { field: 'baz', value: 1 } },
    ],
    on_failure: [{ set: { field: 'error.message', value: '{{ _ingest.on_failure_message }}' } }],
    _meta: { reason: 'set my-keyword-field to foo', serialization: { class: 'MyPipeline', id: 10 } },
  };

  it('counts processors by type, nested handlers included, and names the pipelines it calls', () => {
    expect(processorTypes(pipeline.processors)).toEqual({ count: 5, types: { set: 3, grok: 1, pipeline: 1 } });
    const asset = buildPipelineAsset('c1', 'access-logs', pipeline);
    expect(asset).toMatchObject({
      name: '_ingest/pipeline/access-logs',
      kind: 'ingest_pipeline',
      comment: 'parse access logs',
    });
    expect(asset.properties).toEqual({
      version: 123,
      processors: 5,
      processor_types: { set: 3, grok: 1, pipeline: 1 },
      on_failure_processors: 1,
      calls_pipelines: ['geoip-enrich'],
      managed: false,
      meta: pipeline._meta,
    });
    expect(buildPipelineAsset('c1', 'access-logs', { ...pipeline, version: 124 }).changeSignal).not.toBe(
      asset.changeSignal,
    );
  });
});

describe('buildLifecyclePolicyAsset', () => {
  const policy = () => ({
    version: 1,
    modified_date: 82392349,
    policy: {
      phases: {
        delete: { min_age: '30d', actions: { delete: { delete_searchable_snapshot: true } } },
        warm: { min_age: '10d', actions: { forcemerge: { max_num_segments: 1 }, shrink: { number_of_shards: 1 } } },
        hot: { min_age: '0ms', actions: { rollover: { max_primary_shard_size: '50gb', max_age: '30d' } } },
      },
      _meta: { description: 'used for nginx log', project: { name: 'myProject', department: 'myDepartment' } },
    },
    in_use_by: { indices: ['logs-1'], data_streams: ['logs-app-default'], composable_templates: ['logs-app'] },
  });

  it('lists phases in lifecycle order with ages and actions, the rollover conditions and what uses it', () => {
    const asset = buildLifecyclePolicyAsset('c1', 'logs', policy());
    expect(asset).toMatchObject({ name: '_ilm/policy/logs', kind: 'lifecycle_policy' });
    expect(asset.properties).toEqual({
      version: 1,
      modified_date: new Date(82392349).toISOString(),
      phases: [
        { phase: 'hot', min_age: '0ms', actions: ['rollover'] },
        { phase: 'warm', min_age: '10d', actions: ['forcemerge', 'shrink'] },
        { phase: 'delete', min_age: '30d', actions: ['delete'] },
      ],
      rollover: { max_primary_shard_size: '50gb', max_age: '30d' },
      managed: false,
      meta: policy().policy._meta,
      used_by_indices: ['logs-1'],
      used_by_data_streams: ['logs-app-default'],
      used_by_templates: ['logs-app'],
    });
  });

  it('keeps its signal when only the usage moves', () => {
    const before = buildLifecyclePolicyAsset('c1', 'logs', policy());
    const moved = {
      ...policy(),
      in_use_by: { indices: ['logs-1', 'logs-2'], data_streams: [], composable_templates: [] },
    };
    expect(buildLifecyclePolicyAsset('c1', 'logs', moved).changeSignal).toBe(before.changeSignal);
    const edited = policy();
    edited.policy.phases.delete.min_age = '60d';
    expect(buildLifecyclePolicyAsset('c1', 'logs', edited).changeSignal).not.toBe(before.changeSignal);
  });
});

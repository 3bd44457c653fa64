import { errors } from '@elastic/elasticsearch';
import { ConnectorErrorCode } from '../core/errors';
import { groupByUrlLength, isSystemName } from './collect';
import { validateConfig } from '../core/config-spec';
import { ELASTICSEARCH_CONFIG_SPEC, esSettings, parseNode } from './elasticsearch.config';
import { elasticsearchConnector } from './elasticsearch.connector';
import { classifyEsError } from './elasticsearch.errors';
import { changeSignalOf, settingsSummary, stableJson } from './index-assets';
import { flattenMapping, mappingProperties } from './mapping-fields';

describe('flattenMapping', () => {
  it('walks objects without a type, aliases and deep nesting in name order', () => {
    const fields = flattenMapping({
      properties: {
        user: { properties: { name: { type: 'keyword' }, geo: { properties: { location: { type: 'geo_point' } } } } },
        id: { type: 'keyword' },
        user_name: { type: 'alias', path: 'user.name' },
      },
    });
    expect(fields.map((f) => [f.ordinal, f.name, f.dataType, f.path])).toEqual([
      [1, 'id', 'keyword', undefined],
      [2, 'user', 'object', undefined],
      [3, 'user.geo', 'object', 'user.geo'],
      [4, 'user.geo.location', 'geo_point', 'user.geo.location'],
      [5, 'user.name', 'keyword', 'user.name'],
      [6, 'user_name', 'alias', undefined],
    ]);
    expect(fields[5].properties).toEqual({ path: 'user.name' });
  });

  it('returns no fields for an empty mapping', () => {
    expect(flattenMapping({})).toEqual([]);
    expect(flattenMapping(undefined)).toEqual([]);
  });

  it('summarises mapping-level settings', () => {
    expect(mappingProperties({ dynamic: 'false', dynamic_templates: [{ strings_as_keywords: { match_mapping_type: 'string' } }], _routing: { required: true }, properties: {} })).toEqual({
      dynamic: 'false',
      dynamic_templates: ['strings_as_keywords'],
      routing: { required: true },
    });
  });
});

describe('settingsSummary', () => {
  it('turns string settings into numbers, booleans and ISO dates', () => {
    expect(settingsSummary({ number_of_shards: '3', number_of_replicas: '2', creation_date: '0', hidden: 'true', blocks: { write: 'true' }, lifecycle: { name: 'hot-warm' } })).toEqual({
      number_of_shards: 3,
      number_of_replicas: 2,
      creation_date: '1970-01-01T00:00:00.000Z',
      hidden: true,
      blocks: { write: 'true' },
      lifecycle_policy: 'hot-warm',
    });
  });
});

describe('change signals', () => {
  it('do not depend on key order, and do change with content', () => {
    expect(stableJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
    expect(changeSignalOf({ a: 1, b: 2 })).toBe(changeSignalOf({ b: 2, a: 1 }));
    expect(changeSignalOf({ a: 1 })).not.toBe(changeSignalOf({ a: 2 }));
  });
});

describe('groupByUrlLength', () => {
  it('keeps each index list under the request-line budget and loses no name', () => {
    const names = Array.from({ length: 400 }, (_, i) => `logs-service-${String(i).padStart(4, '0')}`);
    const groups = groupByUrlLength(names);
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.flat()).toEqual(names);
    for (const group of groups) expect(encodeURIComponent(group.join(',')).length).toBeLessThanOrEqual(3000);
  });

  it('puts one over-long name in a group of its own', () => {
    expect(groupByUrlLength(['a'.repeat(5000), 'b'])).toEqual([['a'.repeat(5000)], ['b']]);
  });
});

describe('config', () => {
  it('parses node URLs with default ports and refuses credentials in them', () => {
    expect(parseNode('https://es.example')).toEqual({ url: 'https://es.example/', protocol: 'https:', host: 'es.example', port: 443 });
    expect(parseNode('http://[::1]:9200')).toMatchObject({ host: '::1', port: 9200 });
    expect(() => parseNode('ftp://es')).toThrow(/http or https/);
    expect(() => parseNode('https://u:p@es')).toThrow(/not in the node URL/);
    expect(() => esSettings({ nodes: [] })).toThrow(expect.objectContaining({ code: ConnectorErrorCode.InvalidConfig }));
  });

  it('accepts the shared pool fields of the seed\'s example config', () => {
    expect(validateConfig(ELASTICSEARCH_CONFIG_SPEC, { nodes: ['http://es:9200'], timeout: 30, max_conns: 10, max_idle_conns: 5 })).toEqual([]);
    expect(validateConfig(ELASTICSEARCH_CONFIG_SPEC, {})).toEqual([{ field: 'nodes', message: 'is required' }]);
  });

  it('reports a malformed node list from test() instead of failing to construct', async () => {
    const connector = elasticsearchConnector.create({ nodes: ['not a url'] }, { guardAddress: async () => [] });
    const result = await connector.test(new AbortController().signal);
    expect(result).toMatchObject({ success: false, error_code: 'INVALID_CONFIG', message: '"not a url" is not a URL' });
  });

  it('treats dot-prefixed names as system names', () => {
    expect(isSystemName('.kibana')).toBe(true);
    expect(isSystemName('kibana')).toBe(false);
  });
});

describe('classifyEsError', () => {
  const response = (statusCode: number, body: unknown) =>
    new errors.ResponseError({ body, statusCode, headers: {}, warnings: null, meta: {} as never });

  it.each([
    [response(401, { error: { type: 'security_exception', reason: 'unable to authenticate user [x]' }, status: 401 }), ConnectorErrorCode.AuthFailed],
    [response(403, { error: { type: 'security_exception', reason: 'action [indices:admin/mappings/get] is unauthorized' }, status: 403 }), ConnectorErrorCode.PermissionDenied],
    [response(504, { error: 'gateway timeout' }), ConnectorErrorCode.Timeout],
    [response(500, { error: { type: 'illegal_state_exception', reason: 'boom' } }), ConnectorErrorCode.Protocol],
    [new errors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9200'), ConnectorErrorCode.Unreachable],
    [new errors.ConnectionError('self-signed certificate in certificate chain'), ConnectorErrorCode.Tls],
    [new errors.TimeoutError('Request timed out'), ConnectorErrorCode.Timeout],
    [new errors.RequestAbortedError('Request aborted'), ConnectorErrorCode.Cancelled],
    [new errors.ProductNotSupportedError('Elasticsearch', { body: {}, statusCode: 200, headers: {}, warnings: null, meta: {} as never }), ConnectorErrorCode.Protocol],
  ])('%s → %s', (err, code) => {
    expect(classifyEsError(err).code).toBe(code);
  });

  it('quotes the server\'s reason', () => {
    expect(classifyEsError(response(403, { error: { type: 'security_exception', reason: 'no privilege' } })).message).toBe('Not allowed (HTTP 403): security_exception: no privilege');
  });
});

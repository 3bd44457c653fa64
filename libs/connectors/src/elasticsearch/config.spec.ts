import { ConnectorErrorCode } from '../core/errors';
import { validateConfig } from '../core/config-spec';
import { ELASTICSEARCH_CONFIG_SPEC, esSettings, parseNode } from './config';
import { elasticsearchConnector } from '.';

describe('config', () => {
  it('parses node URLs with default ports and refuses credentials in them', () => {
    expect(parseNode('https://es.example')).toEqual({
      url: 'https://es.example/',
      protocol: 'https:',
      host: 'es.example',
      port: 443,
    });
    expect(parseNode('http://[::1]:9200')).toMatchObject({ host: '::1', port: 9200 });
    expect(() => parseNode('ftp://es')).toThrow(/http or https/);
    expect(() => parseNode('https://u:p@es')).toThrow(/not in the node URL/);
    expect(() => esSettings({ nodes: [] })).toThrow(
      expect.objectContaining({ code: ConnectorErrorCode.InvalidConfig }),
    );
  });

  it("accepts the shared pool fields of the seed's example config", () => {
    expect(
      validateConfig(ELASTICSEARCH_CONFIG_SPEC, {
        nodes: ['http://es:9200'],
        timeout: 30,
        max_conns: 10,
        max_idle_conns: 5,
      }),
    ).toEqual([]);
    expect(validateConfig(ELASTICSEARCH_CONFIG_SPEC, {})).toEqual([{ field: 'nodes', message: 'is required' }]);
  });

  it('reports a malformed node list from test() instead of failing to construct', async () => {
    const connector = elasticsearchConnector.create({ nodes: ['not a url'] }, { guardAddress: async () => [] });
    const result = await connector.test(new AbortController().signal);
    expect(result).toMatchObject({ success: false, error_code: 'INVALID_CONFIG', message: '"not a url" is not a URL' });
  });
});

/** Replies below follow the RESP2 examples of the FT.INFO and XINFO GROUPS command pages. */
import type Redis from 'ioredis';
import { RedisCall } from './collect';
import { detectModules, readSearchIndexes } from './modules';
import { parseFtInfo, searchIndexAsset } from './search-indexes';
import { parseXinfoGroups, summarizeStreamGroups } from './stream-groups';

const ftInfoReply = (): unknown[] => [
  'index_name',
  'wikipedia',
  'index_options',
  [],
  'index_definition',
  [
    'key_type',
    'HASH',
    'prefixes',
    ['thing:'],
    'filter',
    'startswith(@__key, "thing:")',
    'language_field',
    '__language',
    'default_score',
    '1',
    'score_field',
    '__score',
    'payload_field',
    '__payload',
  ],
  'attributes',
  [
    ['identifier', 'title', 'attribute', 'title', 'type', 'TEXT', 'WEIGHT', '1', 'SORTABLE', 'NOSTEM'],
    ['identifier', 'body', 'attribute', 'body', 'type', 'TEXT', 'WEIGHT', '1'],
    ['identifier', 'id', 'attribute', 'id', 'type', 'NUMERIC'],
    ['identifier', 'tags', 'attribute', 'tags', 'type', 'TAG', 'SEPARATOR', ','],
  ],
  'num_docs',
  '42',
  'max_doc_id',
  '345678',
  'num_terms',
  '691356',
  'num_records',
  '56034556',
  'inverted_sz_mb',
  '346.857',
  'hash_indexing_failures',
  '2',
  'total_indexing_time',
  '0',
  'indexing',
  '0',
  'percent_indexed',
  '1',
  'number_of_uses',
  1,
  'gc_stats',
  ['bytes_collected', '0'],
];

describe('FT.INFO parsing', () => {
  it('maps definition, attributes with options and flags, document count and indexing state', () => {
    const info = parseFtInfo(ftInfoReply());
    expect(info).toMatchObject({
      name: 'wikipedia',
      keyType: 'HASH',
      prefixes: ['thing:'],
      filter: 'startswith(@__key, "thing:")',
      numDocs: 42,
      indexing: false,
      percentIndexed: 1,
      indexingFailures: 2,
    });
    const asset = searchIndexAsset('db0', info);
    expect(asset).toMatchObject({ namespace: 'db0', name: 'FT/wikipedia', kind: 'search_index' });
    expect(asset.properties).toEqual({
      key_type: 'HASH',
      prefixes: ['thing:'],
      filter: 'startswith(@__key, "thing:")',
      indexing: false,
      percent_indexed: 1,
      indexing_failures: 2,
    });
    expect(asset.statistics).toEqual({ rows: 42 });
    expect(asset.fields.map((f) => [f.name, f.dataType, f.properties])).toEqual([
      ['title', 'TEXT', { identifier: 'title', flags: ['SORTABLE', 'NOSTEM'], weight: '1' }],
      ['body', 'TEXT', { identifier: 'body', weight: '1' }],
      ['id', 'NUMERIC', { identifier: 'id' }],
      ['tags', 'TAG', { identifier: 'tags', separator: ',' }],
    ]);
  });

  it('names JSON index fields by attribute and keeps the JSONPath; the signal follows the schema only', () => {
    const reply = ftInfoReply();
    reply[5] = ['key_type', 'JSON', 'prefixes', ['item:']];
    reply[7] = [['identifier', '$.name', 'attribute', 'name', 'type', 'TEXT', 'WEIGHT', '1']];
    const asset = searchIndexAsset('db0', parseFtInfo(reply));
    expect(asset.fields.map((f) => [f.name, f.properties!.identifier])).toEqual([['name', '$.name']]);
    const moreDocs = [...reply];
    moreDocs[moreDocs.indexOf('num_docs') + 1] = '43';
    expect(searchIndexAsset('db0', parseFtInfo(moreDocs)).changeSignal).toBe(asset.changeSignal);
    reply[7] = [['identifier', '$.name', 'attribute', 'name', 'type', 'TAG']];
    expect(searchIndexAsset('db0', parseFtInfo(reply)).changeSignal).not.toBe(asset.changeSignal);
  });
});

describe('module detection and FT reads at the driver boundary', () => {
  const call: RedisCall = (work) => work();
  const signal = new AbortController().signal;
  const fakeClient = (answers: Record<string, unknown>): Redis =>
    ({
      call: async (...args: string[]) => {
        const answer = answers[args.join(' ')];
        if (answer instanceof Error) throw answer;
        return answer;
      },
    }) as unknown as Redis;

  it('finds both modules from COMMAND INFO and reads every index', async () => {
    const client = fakeClient({
      'COMMAND INFO FT._LIST JSON.GET': [
        ['ft._list', -1, ['readonly'], 0, 0, 0],
        ['json.get', -2, ['readonly'], 1, 1, 1],
      ],
      'FT._LIST': ['wikipedia'],
      'FT.INFO wikipedia': ftInfoReply(),
    });
    const modules = await detectModules(client, call, signal);
    expect(modules).toEqual({ search: { available: true }, json: { available: true } });
    const assets = await readSearchIndexes(client, 'db0', modules.search, call, signal);
    expect(assets.map((a) => a.name)).toEqual(['FT/wikipedia']);
  });

  it('records absent modules and refused commands instead of failing', async () => {
    const plain = fakeClient({ 'COMMAND INFO FT._LIST JSON.GET': [null, null] });
    const modules = await detectModules(plain, call, signal);
    expect(modules).toEqual({
      search: { available: false, reason: 'the server has no FT._LIST command' },
      json: { available: false, reason: 'the server has no JSON.GET command' },
    });
    expect(await readSearchIndexes(plain, 'db0', modules.search, call, signal)).toEqual([]);

    const refused = fakeClient({
      'COMMAND INFO FT._LIST JSON.GET': [['ft._list'], null],
      'FT._LIST': new Error("NOPERM User reader has no permissions to run the 'ft._list' command"),
    });
    const status = (await detectModules(refused, call, signal)).search;
    expect(await readSearchIndexes(refused, 'db0', status, call, signal)).toEqual([]);
    expect(status.reason).toMatch(/^FT._LIST failed: NOPERM/);
  });
});

describe('XINFO GROUPS parsing', () => {
  it('reads name, consumers, pending, last delivered id, entries read and lag; nil lag stays unknown', () => {
    const groups = parseXinfoGroups([
      [
        'name',
        'mygroup',
        'consumers',
        2,
        'pending',
        2,
        'last-delivered-id',
        '1638126030001-0',
        'entries-read',
        2,
        'lag',
        0,
      ],
      [
        'name',
        'some-other-group',
        'consumers',
        1,
        'pending',
        0,
        'last-delivered-id',
        '0-0',
        'entries-read',
        null,
        'lag',
        null,
      ],
    ]);
    expect(groups).toEqual([
      { name: 'mygroup', consumers: 2, pending: 2, last_delivered_id: '1638126030001-0', entries_read: 2, lag: 0 },
      { name: 'some-other-group', consumers: 1, pending: 0, last_delivered_id: '0-0', entries_read: null, lag: null },
    ]);
    expect(summarizeStreamGroups([{ key: 's', groups }])).toMatchObject({ keys_read: 1, pending: 2, lag: 0 });
  });
});

import { avroFields } from './avro-fields';
import { jsonSchemaFields } from './json-schema-fields';
import { protobufFields } from './protobuf-fields';
import { SchemaField } from './schema-field';
import { subjectsOfTopic } from './topic-schemas';
import { confluentFrame, payloadFormat, protobufIndexes } from './wire-format';

const rows = (fields: SchemaField[]) => fields.map((f) => [f.path, f.type, f.nullable, f.default, f.doc]);

describe('Avro fields', () => {
  it('resolves named types from references and lists a recursive type once', () => {
    const money = JSON.stringify({
      type: 'record',
      name: 'Money',
      namespace: 'com.acme',
      fields: [{ name: 'cents', type: 'long' }],
    });
    const node = JSON.stringify({
      type: 'record',
      name: 'Node',
      namespace: 'com.acme',
      fields: [
        { name: 'price', type: 'com.acme.Money' },
        { name: 'next', type: ['null', 'Node'], default: null },
        { name: 'tags', type: { type: 'map', values: 'string' } },
        { name: 'either', type: ['int', 'string'] },
      ],
    });
    expect(rows(avroFields(node, [money]))).toEqual([
      ['price', 'record<com.acme.Money>', false, null, null],
      ['price.cents', 'long', false, null, null],
      ['next', 'record<com.acme.Node>', true, 'null', null],
      ['tags', 'map<string>', false, null, null],
      ['either', 'union<int,string>', false, null, null],
    ]);
  });

  it('describes a primitive schema as one field and rejects invalid Avro', () => {
    expect(rows(avroFields('"long"'))).toEqual([['', 'long', false, null, null]]);
    expect(() => avroFields('{"type":"record","name":"R","fields":[{"name":"a","type":"nope"}]}')).toThrow();
  });
});

describe('JSON Schema fields', () => {
  it('reads oneOf with null as nullable, $defs refs, array items of objects, and stops on recursive refs', () => {
    const schema = {
      type: 'object',
      required: ['a', 'items'],
      properties: {
        a: { oneOf: [{ type: 'null' }, { type: 'string', title: 'The A' }] },
        items: { type: 'array', items: { $ref: '#/$defs/item' } },
        self: { $ref: '#' },
      },
      $defs: { item: { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] } },
    };
    const fields = rows(jsonSchemaFields(JSON.stringify(schema)));
    expect(fields.slice(0, 4)).toEqual([
      ['a', 'string', true, null, 'The A'],
      ['items', 'array<object>', false, null, null],
      ['items[].sku', 'string', false, null, null],
      ['self', 'object', true, null, null],
    ]);
    // A self-reference is expanded a bounded number of times, never forever.
    expect(fields.length).toBeLessThan(200);
  });
});

describe('Protobuf fields', () => {
  it('reads proto2 required fields and defaults, and picks a message by index', () => {
    const proto = `syntax = "proto2";
message A { required string id = 1; optional int32 n = 2 [default = 5]; }
message B { optional bool flag = 1; }`;
    expect(rows(protobufFields(proto))).toEqual([
      ['id', 'string', false, null, null],
      ['n', 'int32', true, '5', null],
    ]);
    expect(rows(protobufFields(proto, [], [1]))).toEqual([['flag', 'bool', true, null, null]]);
  });
});

describe('topic subjects and the wire format', () => {
  it('finds subjects by the topic-name and topic-record-name strategies only for that topic', () => {
    expect(
      subjectsOfTopic('orders', ['orders-value', 'orders-key', 'orders-com.acme.Refund', 'orders2-value', 'orders']),
    ).toEqual([
      { part: 'key', subject: 'orders-key', strategy: 'topic_name' },
      { part: 'value', subject: 'orders-value', strategy: 'topic_name' },
      { part: 'value', subject: 'orders-com.acme.Refund', strategy: 'topic_record_name' },
    ]);
  });

  it('reads Confluent frames, Protobuf message indexes and payload formats', () => {
    expect(confluentFrame(Buffer.from([0, 0, 0, 1, 2, 9]))).toEqual({ schemaId: 258, body: Buffer.from([9]) });
    expect(confluentFrame(Buffer.from('{"a":1}'))).toBeNull();
    expect(protobufIndexes(Buffer.from([0, 8]))).toEqual({ indexes: [0], offset: 1 });
    // count 2 (zig-zag 4), indexes 1 (2) and 0 (0)
    expect(protobufIndexes(Buffer.from([4, 2, 0, 8]))).toEqual({ indexes: [1, 0], offset: 3 });
    expect(payloadFormat(Buffer.from('{"a":1}'))).toBe('json');
    expect(payloadFormat(Buffer.from('hello'))).toBe('text');
    expect(payloadFormat(Buffer.from([0xff, 0x00, 0x13]))).toBe('binary');
  });
});

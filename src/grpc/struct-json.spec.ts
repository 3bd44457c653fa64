import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSync } from '@grpc/proto-loader';
import { Root, Type } from 'protobufjs';
import { registerStructAsJson, registerValueFields } from './struct-json';

const PROTO = `
syntax = "proto3";
package probe;
import "google/protobuf/struct.proto";
message Probe {
  string name = 1;
  google.protobuf.Struct config = 2;
  google.protobuf.Value default = 3;
  google.protobuf.ListValue items = 4;
  repeated google.protobuf.Struct rows = 5;
  repeated google.protobuf.Value values = 6;
}
`;

describe('google.protobuf.Struct, Value and ListValue as plain JSON', () => {
  let dir: string;
  let probe: Type;
  beforeAll(() => {
    registerStructAsJson();
    dir = mkdtempSync(join(tmpdir(), 'struct-json-'));
    writeFileSync(join(dir, 'probe.proto'), PROTO);
    registerValueFields(loadSync('probe.proto', { keepCase: true, includeDirs: [dir] }));
    probe = new Root().loadSync(join(dir, 'probe.proto'), { keepCase: true }).lookupType('probe.Probe');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** What a peer gets: JSON in, bytes on the wire, JSON out. */
  const roundTrip = (json: Record<string, unknown>) =>
    probe.toObject(probe.decode(probe.encode(probe.fromObject(json)).finish()), { defaults: false });

  it('keeps every JSON kind, nested objects and arrays included', () => {
    const config = {
      host: 'db.example',
      port: 5432,
      ratio: 0.25,
      ssl: false,
      password: null,
      empty: '',
      zero: 0,
      nested: { schemas: ['public', 'sales'], deeper: { on: true, list: [1, 'two', null, { three: 3 }, []] } },
      none: {},
    };
    expect(roundTrip({ name: 'x', config }).config).toEqual(config);
  });

  it('carries a lone Value and a ListValue as the JSON value itself', () => {
    for (const value of ['text', 42, true, false, 0, { a: [1] }, [1, { b: null }]]) {
      expect(roundTrip({ default: value }).default).toEqual(value);
    }
    expect(roundTrip({ items: ['a', 1, null, { x: ['y'] }] }).items).toEqual(['a', 1, null, { x: ['y'] }]);
    expect(roundTrip({ rows: [{ a: 1 }, { b: [true] }] }).rows).toEqual([{ a: 1 }, { b: [true] }]);
    expect(roundTrip({ values: ['a', 2, false, { c: 'd' }] }).values).toEqual(['a', 2, false, { c: 'd' }]);
  });

  it('writes what JSON.stringify would: undefined members dropped, non-finite numbers and undefined items as null, dates as ISO strings', () => {
    const out = roundTrip({
      config: {
        keep: 1,
        drop: undefined,
        nan: Number.NaN,
        list: [undefined, Infinity],
        when: new Date('2024-01-01T00:00:00Z'),
      },
    });
    expect(out.config).toEqual({ keep: 1, nan: null, list: [null, null], when: '2024-01-01T00:00:00.000Z' });
  });

  it('leaves an absent Struct absent, and refuses a Struct that is not an object', () => {
    expect(roundTrip({ name: 'only' })).toEqual({ name: 'only' });
    expect(() => probe.fromObject({ config: ['not', 'an', 'object'] })).toThrow(/JSON object/);
  });

  it('keys that look like the object form ("fields", "stringValue") are ordinary keys', () => {
    const config = { fields: { stringValue: 'x' }, values: [1] };
    expect(roundTrip({ config }).config).toEqual(config);
  });
});

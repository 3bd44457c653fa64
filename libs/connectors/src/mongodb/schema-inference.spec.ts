import { Decimal128, Double, Int32, Long, ObjectId } from 'mongodb';
import { comparePaths, declaredFields, inferSchema, toCatalogFields, unionType } from './schema-inference';

// Documents as the driver hands them over with promoteValues: false (numbers keep their BSON class).
const docs = [
  {
    _id: new ObjectId('65a000000000000000000001'),
    name: 'Ada',
    age: new Int32(36),
    score: new Double(9.5),
    address: { city: 'London', zip: 'N1' },
    tags: ['admin', 'ops'],
    items: [{ sku: 'A-1', qty: new Int32(2) }],
    balance: Decimal128.fromString('10.50'),
  },
  {
    _id: new ObjectId('65a000000000000000000002'),
    name: null,
    age: new Int32(41),
    score: new Int32(7),
    address: { city: 'Paris' },
    tags: [],
    items: [
      { sku: 'B-2', qty: new Int32(1) },
      { sku: 'C-3', qty: Long.fromNumber(5) },
    ],
  },
  {
    _id: new ObjectId('65a000000000000000000003'),
    name: 'Grace',
    age: new Int32(29),
    score: new Double(8.25),
    tags: ['dev'],
    created: new Date('2024-01-02T03:04:05Z'),
  },
  {
    _id: new ObjectId('65a000000000000000000004'),
    name: 'Linus',
    age: 'unknown',
    score: new Double(6),
    address: { city: 'Helsinki', geo: { lat: new Double(60.17), lon: new Double(24.94) } },
    tags: ['dev', 'kernel'],
  },
];

describe('inferSchema', () => {
  const schema = inferSchema(docs);
  const byPath = new Map(schema.fields.map((f) => [f.path, f]));

  it('lists every path, nested documents as dotted paths and array elements as []', () => {
    expect(schema.sampled).toBe(4);
    expect(schema.truncated).toBe(false);
    expect(schema.fields.map((f) => f.path)).toEqual([
      '_id',
      'address',
      'address.city',
      'address.geo',
      'address.geo.lat',
      'address.geo.lon',
      'address.zip',
      'age',
      'balance',
      'created',
      'items',
      'items[]',
      'items[].qty',
      'items[].sku',
      'name',
      'score',
      'tags',
      'tags[]',
    ]);
  });

  it('counts BSON types per path and names the dominant type first', () => {
    expect(byPath.get('_id')).toMatchObject({
      types: { objectId: 4 },
      dataType: 'objectId',
      presence: 1,
      nullable: false,
    });
    expect(byPath.get('score')).toMatchObject({ types: { double: 3, int: 1 }, dataType: 'double|int' });
    expect(byPath.get('age')).toMatchObject({ types: { int: 3, string: 1 }, dataType: 'int|string', nullable: false });
    expect(byPath.get('balance')).toMatchObject({
      types: { decimal: 1 },
      dataType: 'decimal',
      presentIn: 1,
      presence: 0.25,
      nullable: true,
    });
    expect(byPath.get('created')).toMatchObject({ dataType: 'date', presence: 0.25 });
    expect(byPath.get('items[].qty')).toMatchObject({ types: { int: 2, long: 1 }, dataType: 'int|long', presentIn: 2 });
  });

  it('puts null last in the union and marks null or missing fields nullable', () => {
    expect(byPath.get('name')).toMatchObject({
      types: { string: 3, null: 1 },
      dataType: 'string|null',
      presence: 1,
      nullable: true,
    });
    expect(byPath.get('address')).toMatchObject({ dataType: 'object', presentIn: 3, presence: 0.75, nullable: true });
    expect(byPath.get('address.city')).toMatchObject({ dataType: 'string', presentIn: 3 });
    expect(byPath.get('address.geo.lat')).toMatchObject({ dataType: 'double', presentIn: 1 });
  });

  it('counts array elements per value but presence per document', () => {
    expect(byPath.get('tags')).toMatchObject({ types: { array: 4 }, presentIn: 4 });
    // Five string elements in three documents (the empty array contributes none).
    expect(byPath.get('tags[]')).toMatchObject({ types: { string: 5 }, presentIn: 3, presence: 0.75 });
    expect(byPath.get('items[]')).toMatchObject({ types: { object: 3 }, presentIn: 2 });
  });

  it('gives the same field order whatever order the sample came in', () => {
    const reversed = inferSchema([...docs].reverse());
    expect(reversed.fields.map((f) => f.path)).toEqual(schema.fields.map((f) => f.path));
  });

  it('stops at the field limit and says so', () => {
    const wide = [Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}`, i]))];
    const capped = inferSchema(wide, { maxDepth: 20, maxFields: 10 });
    expect(capped.fields).toHaveLength(10);
    expect(capped.truncated).toBe(true);
  });

  it('does not descend below the depth limit', () => {
    const deep = inferSchema([{ a: { b: { c: { d: 1 } } } }], { maxDepth: 2, maxFields: 100 });
    expect(deep.fields.map((f) => f.path)).toEqual(['a', 'a.b']);
  });

  it('returns no fields for an empty sample', () => {
    expect(inferSchema([])).toEqual({ sampled: 0, fields: [], truncated: false });
  });
});

describe('unionType and comparePaths', () => {
  it('orders ties by name and keeps null last', () => {
    expect(unionType({ string: 2, int: 2, null: 5 })).toBe('int|string|null');
    expect(unionType({ null: 3 })).toBe('null');
  });

  it('sorts _id first and parents before children', () => {
    expect(['b', 'a.b', 'a', '_id', 'a[]', 'a2'].sort(comparePaths)).toEqual(['_id', 'a', 'a.b', 'a[]', 'a2', 'b']);
  });
});

describe('toCatalogFields', () => {
  const jsonSchema = {
    bsonType: 'object',
    description: 'People we know',
    required: ['name', 'email'],
    properties: {
      name: { bsonType: ['string', 'null'], description: 'Display name' },
      email: { bsonType: 'string', description: 'Login e-mail' },
      address: { bsonType: 'object', properties: { city: { bsonType: 'string' } } },
      tags: { bsonType: 'array', items: { bsonType: 'string' } },
    },
  };

  it('maps inferred paths to fields with presence and type counts in properties', () => {
    const fields = toCatalogFields(inferSchema(docs));
    const id = fields[0];
    expect(id).toEqual({
      name: '_id',
      ordinal: 1,
      dataType: 'objectId',
      nullable: false,
      primaryKey: true,
      properties: { types: { objectId: 4 }, presence: 1, present_in: 4 },
    });
    const city = fields.find((f) => f.name === 'address.city')!;
    expect(city).toMatchObject({
      path: 'address.city',
      dataType: 'string',
      nullable: true,
      properties: { presence: 0.75, present_in: 3 },
    });
    expect(fields.find((f) => f.name === 'name')!.path).toBeUndefined();
    expect(fields.map((f) => f.ordinal)).toEqual(fields.map((_, i) => i + 1));
  });

  it('flattens a $jsonSchema into declared paths', () => {
    expect(declaredFields(jsonSchema)).toEqual([
      { path: 'name', bsonType: 'string', required: true, nullAllowed: true, description: 'Display name' },
      { path: 'email', bsonType: 'string', required: true, nullAllowed: false, description: 'Login e-mail' },
      { path: 'address', bsonType: 'object', required: false, nullAllowed: false, description: undefined },
      { path: 'address.city', bsonType: 'string', required: false, nullAllowed: false, description: undefined },
      { path: 'tags', bsonType: 'array', required: false, nullAllowed: false, description: undefined },
      { path: 'tags[]', bsonType: 'string', required: false, nullAllowed: false },
    ]);
  });

  it('adds validator descriptions as comments and lists declared fields the sample never saw', () => {
    const fields = toCatalogFields(inferSchema(docs), declaredFields(jsonSchema));
    expect(fields.find((f) => f.name === 'name')).toMatchObject({
      comment: 'Display name',
      properties: { declared_type: 'string', declared_required: true },
    });
    const email = fields.find((f) => f.name === 'email')!;
    expect(email).toMatchObject({
      dataType: 'string',
      nullable: false,
      comment: 'Login e-mail',
      properties: { declared_only: true, presence: 0 },
    });
    // Declared-only fields take their sorted place among the sampled ones.
    expect(fields.map((f) => f.name).indexOf('email')).toBe(fields.map((f) => f.name).indexOf('created') + 1);
  });

  it('shows the declared shape of an empty collection', () => {
    const fields = toCatalogFields(inferSchema([]), declaredFields(jsonSchema));
    expect(fields.map((f) => [f.name, f.dataType, f.nullable])).toEqual([
      ['address', 'object', true],
      ['address.city', 'string', true],
      ['email', 'string', false],
      ['name', 'string', true],
      ['tags', 'array', true],
      ['tags[]', 'string', true],
    ]);
  });
});

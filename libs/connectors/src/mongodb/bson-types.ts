/**
 * BSON type names as MongoDB spells them for `$type` (double, string, object, array, binData,
 * objectId, bool, date, null, regex, javascript, int, timestamp, long, decimal, minKey, maxKey…).
 */
export type BsonTypeName =
  | 'double'
  | 'string'
  | 'object'
  | 'array'
  | 'binData'
  | 'undefined'
  | 'objectId'
  | 'bool'
  | 'date'
  | 'null'
  | 'regex'
  | 'dbPointer'
  | 'javascript'
  | 'symbol'
  | 'int'
  | 'timestamp'
  | 'long'
  | 'decimal'
  | 'minKey'
  | 'maxKey';

/** The driver's BSON classes carry `_bsontype`; map them onto `$type` names. */
const BY_BSONTYPE: Record<string, BsonTypeName> = {
  ObjectId: 'objectId',
  ObjectID: 'objectId',
  Int32: 'int',
  Double: 'double',
  Long: 'long',
  Decimal128: 'decimal',
  Binary: 'binData',
  Timestamp: 'timestamp',
  BSONRegExp: 'regex',
  Code: 'javascript',
  BSONSymbol: 'symbol',
  Symbol: 'symbol',
  MinKey: 'minKey',
  MaxKey: 'maxKey',
  DBPointer: 'dbPointer',
  DBRef: 'object',
};

function bsonTag(value: object): string | undefined {
  const tag: unknown = (value as { _bsontype?: unknown })._bsontype;
  return typeof tag === 'string' ? tag : undefined;
}

/** True for documents the schema walk descends into (not BSON values, dates or buffers). */
export function isPlainDocument(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (bsonTag(value) !== undefined) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The BSON type of a value as the driver deserialized it. */
export function bsonTypeOf(value: unknown): BsonTypeName {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      // Only reached when values were promoted: integers that fit 32 bits were most likely int.
      return Number.isInteger(value) && Math.abs(value) <= 0x7fffffff ? 'int' : 'double';
    case 'bigint':
      return 'long';
    case 'function':
      return 'javascript';
    case 'symbol':
      return 'symbol';
  }
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  if (value instanceof Uint8Array) return 'binData';
  const tag = bsonTag(value as object);
  if (tag !== undefined) return BY_BSONTYPE[tag] ?? 'object';
  return 'object';
}

const NUMERIC: ReadonlySet<BsonTypeName> = new Set(['int', 'long', 'double', 'decimal']);

/** The value as a JavaScript number, for int/long/double/decimal; undefined otherwise. */
export function numericValue(value: unknown): number | undefined {
  const type = bsonTypeOf(value);
  if (!NUMERIC.has(type)) return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  const n = Number(String(value));
  return Number.isFinite(n) ? n : undefined;
}

/** A short, stable text form of a value (for distinct counting and top values). */
export function displayValue(value: unknown, maxLength = 200): string {
  let text: string;
  const type = bsonTypeOf(value);
  if (type === 'string') text = value as string;
  else if (type === 'date')
    text = Number.isNaN((value as Date).getTime()) ? 'Invalid Date' : (value as Date).toISOString();
  else if (type === 'object' || type === 'array') text = safeJson(value);
  else if (type === 'binData' && value instanceof Uint8Array) text = Buffer.from(value).toString('base64');
  else if (type === 'binData') text = String((value as { toString(encoding: string): string }).toString('base64'));
  else text = String(value);
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

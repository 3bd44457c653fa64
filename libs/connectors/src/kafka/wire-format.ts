/**
 * Confluent's wire format (https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/index.html#wire-format):
 * byte 0 is the magic 0, bytes 1–4 the schema id (big-endian), then for Protobuf the message
 * indexes (a zig-zag varint count, then each index; a lone 0 means [0]), then the payload.
 */
export interface FramedMessage {
  schemaId: number;
  /** The encoded body after the header (Protobuf message indexes not included). */
  body: Buffer;
}

/** The frame of a message that looks Confluent-framed, or null. */
export function confluentFrame(data: Buffer | null): FramedMessage | null {
  if (!data || data.length < 5 || data[0] !== 0) return null;
  const schemaId = data.readInt32BE(1);
  if (schemaId <= 0) return null;
  return { schemaId, body: data.subarray(5) };
}

/** Protobuf message indexes at the start of a framed body, and where the message begins. */
export function protobufIndexes(body: Buffer): { indexes: number[]; offset: number } {
  let offset = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (offset >= body.length || shift > 28) throw new Error('truncated varint');
      const byte = body[offset++];
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
      shift += 7;
    }
    return (result >>> 1) ^ -(result & 1);
  };
  const count = varint();
  if (count === 0) return { indexes: [0], offset };
  const indexes: number[] = [];
  for (let i = 0; i < count && i < 100; i++) indexes.push(varint());
  return { indexes, offset };
}

/** What a payload looks like when nothing says: JSON object, other JSON, UTF-8 text or binary. */
export function payloadFormat(data: Buffer): 'json' | 'text' | 'binary' {
  const text = data.toString('utf8');
  if (Buffer.byteLength(text) !== data.length || text.includes('\uFFFD')) return 'binary';
  try {
    JSON.parse(text);
    return 'json';
  } catch {
    // eslint-disable-next-line no-control-regex -- control characters other than whitespace mark binary data
    return /[\u0000-\u0008\u000e-\u001f]/.test(text) ? 'binary' : 'text';
  }
}

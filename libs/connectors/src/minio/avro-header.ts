/**
 * The writer schema of an Avro object container file, from its header alone
 * (https://avro.apache.org/docs/1.11.1/specification/#object-container-files): the magic
 * `Obj\x01`, then a map of metadata whose `avro.schema` entry is the schema as JSON. Only the first
 * bytes of the object are needed; the data blocks after the header are not read.
 */
import { Type } from 'avsc';
import { avroFields } from '../kafka/avro-fields';
import { CatalogField } from '../core/types';

const MAGIC = Buffer.from([0x4f, 0x62, 0x6a, 0x01]);
const META = Type.forSchema({ type: 'map', values: 'bytes' });

/** The schema JSON of a container file header, or null when the bytes are not one (or are cut short). */
export function avroHeaderSchema(head: Buffer): { schema: string; codec: string } | null {
  if (head.length < MAGIC.length || !head.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const { value, offset } = META.decode(head, MAGIC.length);
  if (offset < 0 || !value) return null;
  const meta = value as Record<string, Buffer>;
  const schema = meta['avro.schema'];
  if (!schema) return null;
  return { schema: schema.toString('utf8'), codec: meta['avro.codec']?.toString('utf8') ?? 'null' };
}

/** Catalog fields of an Avro container file's writer schema. */
export function avroHeaderFields(schema: string): CatalogField[] {
  return avroFields(schema).map((f, i) => ({
    name: f.path || '(value)',
    ordinal: i + 1,
    dataType: f.type,
    nullable: f.nullable,
    default: f.default,
    comment: f.doc,
    ...(f.path.includes('.') || f.path.includes('[') ? { path: f.path } : {}),
  }));
}

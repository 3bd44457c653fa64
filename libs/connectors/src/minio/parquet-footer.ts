/**
 * The schema and layout of a Parquet file from its footer alone
 * (https://parquet.apache.org/docs/file-format/): the file ends with the Thrift-encoded FileMetaData,
 * its 4-byte little-endian length and the magic `PAR1`. The caller reads only the tail of the object.
 */
import { parquetMetadata, parquetSchema } from 'hyparquet';
import type { FileMetaData, SchemaElement, SchemaTree } from 'hyparquet';
import { CatalogField } from '../core/types';

const MAGIC = 'PAR1';

export interface ParquetFooter {
  fields: CatalogField[];
  rows: number;
  rowGroups: number;
  createdBy: string | null;
}

/** Bytes the whole footer takes (metadata + length + magic), from the last 8 bytes of the file; null if not Parquet. */
export function parquetFooterLength(tail: Buffer): number | null {
  if (tail.length < 8 || tail.subarray(tail.length - 4).toString('latin1') !== MAGIC) return null;
  return tail.readUInt32LE(tail.length - 8) + 8;
}

function typeOf(e: SchemaElement): string {
  const logical = e.logical_type;
  if (logical) {
    if (logical.type === 'DECIMAL') return `DECIMAL(${logical.precision},${logical.scale})`;
    if (logical.type === 'TIMESTAMP' || logical.type === 'TIME')
      return `${logical.type}(${logical.unit},${logical.isAdjustedToUTC ? 'UTC' : 'local'})`;
    if (logical.type === 'INTEGER') return `${logical.isSigned ? 'INT' : 'UINT'}${logical.bitWidth}`;
    return logical.type;
  }
  // UTF8 is the legacy annotation of what the logical-type era calls STRING.
  if (e.converted_type) return e.converted_type === 'UTF8' ? 'STRING' : e.converted_type;
  if (e.type === 'FIXED_LEN_BYTE_ARRAY') return `FIXED_LEN_BYTE_ARRAY(${e.type_length})`;
  return e.type ?? (e.num_children ? 'GROUP' : 'UNKNOWN');
}

/** Top-level columns and nested leaves as fields; a group's own entry carries its logical type (LIST, MAP, STRUCT). */
function fieldsOf(tree: SchemaTree): CatalogField[] {
  const out: CatalogField[] = [];
  const walk = (node: SchemaTree, parents: string[]) => {
    const path = [...parents, node.element.name];
    out.push({
      name: path.join('.'),
      ordinal: out.length + 1,
      dataType:
        node.children.length && !node.element.logical_type && !node.element.converted_type
          ? 'STRUCT'
          : typeOf(node.element),
      nullable: node.element.repetition_type !== 'REQUIRED',
      ...(path.length > 1 ? { path: path.join('.') } : {}),
      ...(node.element.repetition_type === 'REPEATED' ? { properties: { repeated: true } } : {}),
    });
    for (const child of node.children) walk(child, path);
  };
  for (const child of tree.children) walk(child, []);
  return out;
}

/** Parses a buffer that ends with the complete footer. */
export function parseParquetFooter(footer: Buffer): ParquetFooter {
  const bytes = footer.buffer.slice(footer.byteOffset, footer.byteOffset + footer.byteLength) as ArrayBuffer;
  const meta: FileMetaData = parquetMetadata(bytes);
  return {
    fields: fieldsOf(parquetSchema(meta)),
    rows: Number(meta.num_rows),
    rowGroups: meta.row_groups.length,
    createdBy: meta.created_by ?? null,
  };
}

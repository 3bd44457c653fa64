import { parquetWriteBuffer } from 'hyparquet-writer';
import { deltaFields, deltaMetaDataOf } from './delta-log';
import { parseIcebergMetadata } from './iceberg-metadata';
import { parquetFooterLength, parseParquetFooter } from './parquet-footer';

describe('lake metadata parsers', () => {
  it('reads a Parquet footer alone, cut from the end of the file', () => {
    const file = Buffer.from(
      parquetWriteBuffer({
        columnData: [
          { name: 'id', data: new Int32Array([1, 2, 3]), type: 'INT32', nullable: false },
          { name: 'label', data: ['a', null, 'c'], type: 'STRING' },
        ],
      }),
    );
    const length = parquetFooterLength(file)!;
    expect(length).toBeLessThan(file.length);
    const footer = parseParquetFooter(file.subarray(file.length - length));
    expect(footer).toMatchObject({ rows: 3, rowGroups: 1 });
    expect(footer.fields.map((f) => [f.name, f.dataType, f.nullable])).toEqual([
      ['id', 'INT32', false],
      ['label', 'STRING', true],
    ]);
    expect(parquetFooterLength(Buffer.from('not parquet at all'))).toBeNull();
  });

  it('reads Iceberg v1 metadata (single schema and partition-spec)', () => {
    const table = parseIcebergMetadata(
      JSON.stringify({
        'format-version': 1,
        location: 's3://b/t',
        'last-updated-ms': 0,
        schema: {
          type: 'struct',
          fields: [
            {
              id: 1,
              name: 'm',
              required: false,
              type: {
                type: 'map',
                'key-id': 2,
                key: 'string',
                'value-id': 3,
                value: { type: 'struct', fields: [{ id: 4, name: 'n', required: true, type: 'int' }] },
                'value-required': false,
              },
            },
          ],
        },
        'partition-spec': [{ 'source-id': 1, 'field-id': 1000, name: 'm_bucket', transform: 'bucket[4]' }],
      }),
    );
    expect(table.fields.map((f) => [f.name, f.dataType, f.nullable])).toEqual([
      ['m', 'map<string,struct>', true],
      ['m[].n', 'int', false],
    ]);
    expect(table.properties).toMatchObject({
      format_version: 1,
      partition_spec: [{ name: 'm_bucket', source: 'm', transform: 'bucket[4]' }],
      snapshot_count: 0,
      current_snapshot_id: null,
    });
    expect(() => parseIcebergMetadata('{"location":"x"}')).toThrow(/format-version/);
  });

  it('takes the last metaData action of a Delta commit and flattens arrays of structs', () => {
    const schema = {
      type: 'struct',
      fields: [
        {
          name: 'items',
          type: {
            type: 'array',
            elementType: { type: 'struct', fields: [{ name: 'sku', type: 'string', nullable: false }] },
            containsNull: true,
          },
          nullable: true,
        },
      ],
    };
    const commit = [
      JSON.stringify({ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }),
      JSON.stringify({ metaData: { id: 'x', schemaString: JSON.stringify(schema), partitionColumns: [] } }),
    ].join('\n');
    const meta = deltaMetaDataOf(commit)!;
    expect(deltaFields(meta.schemaString, meta.partitionColumns).map((f) => [f.name, f.dataType, f.nullable])).toEqual([
      ['items', 'array<struct>', true],
      ['items[].sku', 'string', false],
    ]);
    expect(deltaMetaDataOf(JSON.stringify({ add: { path: 'a' } }))).toBeNull();
  });
});

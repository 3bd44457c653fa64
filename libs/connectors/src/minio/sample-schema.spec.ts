import { detectDelimiter, inferCsv, inferJson, inferJsonLines, parseCsv } from './sample-schema';

describe('minio sample schema inference', () => {
  it('parses RFC 4180 quoting and reports a cut-off last record', () => {
    const { records, trailingPartial } = parseCsv('a,b\n"x, y","he said ""hi"""\r\n1,2', ',');
    expect(records).toEqual([
      ['a', 'b'],
      ['x, y', 'he said "hi"'],
      ['1', '2'],
    ]);
    expect(trailingPartial).toBe(true);
    expect(parseCsv('a\n1\n', ',').trailingPartial).toBe(false);
  });

  it('detects the delimiter from the header', () => {
    expect(detectDelimiter('id;name;"a;b"')).toBe(';');
    expect(detectDelimiter('id\tname')).toBe('\t');
    expect(detectDelimiter('id|name|x')).toBe('|');
    expect(detectDelimiter('single')).toBe(',');
  });

  it('infers CSV column types and nullability', () => {
    const text =
      'id,price,active,day,at,note\n1,9.5,true,2024-01-02,2024-01-02T10:00:00Z,hello\n2,10,false,2024-01-03,2024-01-03 11:00:00,\n3,11,TRUE,2024-01-04,2024-01-04,x\n4,1';
    const s = inferCsv(text, { complete: false });
    expect(s.rows).toBe(3);
    expect(s.fields.map((f) => [f.name, f.dataType, f.nullable])).toEqual([
      ['id', 'integer', false],
      ['price', 'number', false],
      ['active', 'boolean', false],
      ['day', 'date', false],
      ['at', 'timestamp', false],
      ['note', 'string', true],
    ]);
    // Read to the end, the last line counts (and leaves four columns empty).
    expect(inferCsv(text, { complete: true }).rows).toBe(4);
  });

  it('names blank and duplicate headers', () => {
    const s = inferCsv('id,,id\n1,2,3\n', { complete: true });
    expect(s.fields.map((f) => f.name)).toEqual(['id', 'column_2', 'id_3']);
  });

  it('infers JSON-lines paths, type mix and presence', () => {
    const text = [
      '{"id":1,"user":{"name":"a","tags":["x"]},"amount":1}',
      '{"id":2,"user":{"name":"b"},"amount":2.5,"note":null}',
      'not json',
      '{"id":"3","user":{"name":"c","age":40},"amount":3}',
      '{"id":4,"us',
    ].join('\n');
    const s = inferJsonLines(text, { complete: false });
    expect(s.rows).toBe(3);
    expect(s.invalid).toBe(1);
    const byName = Object.fromEntries(s.fields.map((f) => [f.name, f]));
    expect(Object.keys(byName)).toEqual(['id', 'user', 'user.name', 'user.tags', 'amount', 'note', 'user.age']);
    expect(byName.id).toMatchObject({ dataType: 'integer|string', nullable: false });
    expect(byName.amount).toMatchObject({ dataType: 'number' });
    expect(byName['user.name']).toMatchObject({ path: 'user.name', dataType: 'string', nullable: false });
    expect(byName['user.tags']).toMatchObject({ dataType: 'array', nullable: true });
    expect(byName['user.tags'].properties!.presence_ratio).toBeCloseTo(0.333, 3);
    expect(byName.note).toMatchObject({ dataType: 'null', nullable: true });
  });

  it('reads a whole .json array, and falls back to JSON lines', () => {
    expect(inferJson('[{"a":1},{"a":2,"b":"x"}]', { complete: true }).fields.map((f) => [f.name, f.nullable])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    expect(inferJson('{"a":1}\n{"a":2}\n', { complete: true }).rows).toBe(2);
  });
});

export type TypeFamily =
  | 'integer'
  | 'decimal'
  | 'float'
  | 'string'
  | 'boolean'
  | 'date'
  | 'time'
  | 'timestamp'
  | 'interval'
  | 'binary'
  | 'json'
  | 'array'
  | 'object'
  | 'uuid'
  | 'geometry'
  | 'other';

const RULES: Array<[RegExp, TypeFamily]> = [
  [/\[\]$|^array|^_|^list<|^array</i, 'array'],
  [/^(bool|boolean|bit\(1\)|tinyint\(1\))$/i, 'boolean'],
  [/^uuid|uniqueidentifier/i, 'uuid'],
  [
    /^(u?int\d*|tinyint|smallint|mediumint|bigint|integer|int|serial|bigserial|smallserial|long|short|byte|number\(\d+(,\s*0)?\))/i,
    'integer',
  ],
  [/^(decimal|numeric|number|money|smallmoney|scaled_float)/i, 'decimal'],
  [/^(float|double|real|binary_float|binary_double|half_float)/i, 'float'],
  [/^(timestamp|datetime|datetime2|smalldatetime|datetimeoffset|date_nanos)/i, 'timestamp'],
  [/^date/i, 'date'],
  [/^time/i, 'time'],
  [/^interval/i, 'interval'],
  [/^(json|jsonb|variant|flattened)/i, 'json'],
  [/^(bytea|blob|tinyblob|mediumblob|longblob|binary|varbinary|raw|long raw|image|bfile)/i, 'binary'],
  [/^(geometry|geography|point|polygon|linestring|geo_point|geo_shape)/i, 'geometry'],
  [/^(object|nested|struct|map|document|tuple|hash)/i, 'object'],
  [
    /^(char|varchar|nchar|nvarchar|varchar2|nvarchar2|text|tinytext|mediumtext|longtext|ntext|clob|nclob|string|character|citext|enum|set|keyword|fixedstring|name|xml|inet|cidr|macaddr|wildcard|match_only_text|search_as_you_type|ipv4|ipv6|ip)/i,
    'string',
  ],
];

/** Maps a source's own type name onto a small family so types compare across sources. */
export function typeFamily(dataType: string): TypeFamily {
  let t = dataType.trim();
  const wrapped = /^(nullable|lowcardinality)\((.*)\)$/i.exec(t);
  if (wrapped) t = wrapped[2];
  for (const [re, family] of RULES) {
    if (re.test(t)) return family;
  }
  return 'other';
}

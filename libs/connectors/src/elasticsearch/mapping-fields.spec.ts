import { flattenMapping, mappingProperties } from './mapping-fields';

describe('flattenMapping', () => {
  it('walks objects without a type, aliases and deep nesting in name order', () => {
    const fields = flattenMapping({
      properties: {
        user: { properties: { name: { type: 'keyword' }, geo: { properties: { location: { type: 'geo_point' } } } } },
        id: { type: 'keyword' },
        user_name: { type: 'alias', path: 'user.name' },
      },
    });
    expect(fields.map((f) => [f.ordinal, f.name, f.dataType, f.path])).toEqual([
      [1, 'id', 'keyword', undefined],
      [2, 'user', 'object', undefined],
      [3, 'user.geo', 'object', 'user.geo'],
      [4, 'user.geo.location', 'geo_point', 'user.geo.location'],
      [5, 'user.name', 'keyword', 'user.name'],
      [6, 'user_name', 'alias', undefined],
    ]);
    expect(fields[5].properties).toEqual({ path: 'user.name' });
  });

  it('returns no fields for an empty mapping', () => {
    expect(flattenMapping({})).toEqual([]);
    expect(flattenMapping(undefined)).toEqual([]);
  });

  it('summarises mapping-level settings', () => {
    expect(
      mappingProperties({
        dynamic: 'false',
        dynamic_templates: [{ strings_as_keywords: { match_mapping_type: 'string' } }],
        _routing: { required: true },
        properties: {},
      }),
    ).toEqual({
      dynamic: 'false',
      dynamic_templates: ['strings_as_keywords'],
      routing: { required: true },
    });
  });
});

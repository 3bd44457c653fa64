import { ConnectorConfig, ConnectorDefinition } from '@app/connectors';

export interface SystemTemplate {
  id: string;
  name: string;
  description: string;
  config: ConnectorConfig;
}

/**
 * The built-in template of a source type: every non-secret setting that has a default, so a
 * user sees the knobs and fills in host and account. Derived from the connector's own spec, so
 * it cannot name a field the type does not have.
 */
export function systemTemplateOf(def: ConnectorDefinition): SystemTemplate {
  const config: ConnectorConfig = {};
  for (const field of def.configSpec)
    if (!field.secret && field.default !== undefined) config[field.name] = field.default;
  const toFill = def.configSpec.filter((f) => f.required || f.oneOf).map((f) => f.name);
  return {
    id: `tpl-system-${def.type}`,
    name: `${def.type}-builtin`,
    description: `Built-in ${def.displayName} defaults${toFill.length ? `; set ${[...new Set(toFill)].join(', ')} when applying` : ''}.`,
    config,
  };
}

import { ConnectorRegistry } from './core/registry';
import { ConnectorDefinition } from './core/types';

/** Every connector this build ships; each source type's folder exports one definition. */
export const ALL_CONNECTORS: readonly ConnectorDefinition[] = [
];

export function createDefaultRegistry(): ConnectorRegistry {
  return new ConnectorRegistry(ALL_CONNECTORS);
}

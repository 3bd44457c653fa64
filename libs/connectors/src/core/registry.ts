import { ConnectorError, ConnectorErrorCode } from './errors';
import { ConnectorDefinition, DataSourceType } from './types';

/** The source types known to this build, keyed by type; asking for an unknown one throws. */
export class ConnectorRegistry {
  private readonly byType = new Map<DataSourceType, ConnectorDefinition>();

  constructor(definitions: readonly ConnectorDefinition[]) {
    for (const def of definitions) {
      if (this.byType.has(def.type)) throw new Error(`Connector for "${def.type}" registered twice`);
      this.byType.set(def.type, def);
    }
  }

  has(type: string): type is DataSourceType {
    return this.byType.has(type as DataSourceType);
  }

  get(type: string): ConnectorDefinition {
    const def = this.byType.get(type as DataSourceType);
    if (!def) throw new ConnectorError(ConnectorErrorCode.Unsupported, `No connector for source type "${type}"`);
    return def;
  }

  list(): ConnectorDefinition[] {
    return [...this.byType.values()];
  }
}

import { ConnectorConfig } from '@app/connectors';
import { iso } from '../common/timestamps';
import { DataSourceEntity } from './data-source.entity';
import { DataSourceDto } from './dto/data-source.dto';

export function storedConfigOf(row: DataSourceEntity): ConnectorConfig {
  return JSON.parse(row.config) as ConnectorConfig;
}

export function tagsOf(row: DataSourceEntity): string[] {
  return JSON.parse(row.tags) as string[];
}

/** The response shape; `maskedConfig` is the stored config with its secrets already masked. */
export function toDataSourceDto(row: DataSourceEntity, maskedConfig: ConnectorConfig): DataSourceDto {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    description: row.description,
    status: row.status,
    config: maskedConfig,
    tags: tagsOf(row),
    last_test_at: iso(row.lastTestAt),
    last_latency_ms: row.lastLatencyMs,
    last_error: row.lastError,
    status_changed_at: iso(row.statusChangedAt)!,
    created_by: row.createdBy,
    created_at: iso(row.createdAt)!,
    updated_at: iso(row.updatedAt)!,
  };
}

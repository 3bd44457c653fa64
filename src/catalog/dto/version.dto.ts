import { ApiProperty } from '@nestjs/swagger';

export class VersionDto {
  @ApiProperty({ example: 'ver-01j9zk7m3f5r8w2x4y6z0a1b2c' }) id: string;
  @ApiProperty() asset_id: string;
  @ApiProperty() data_source_id: string;
  @ApiProperty({ nullable: true, type: String, description: 'The execution whose run found the change' }) execution_id:
    string | null;
  @ApiProperty({ enum: ['added', 'removed', 'altered'] }) change: string;
  @ApiProperty() namespace: string;
  @ApiProperty() asset_name: string;
  @ApiProperty() asset_type: string;
  @ApiProperty() fields_added: number;
  @ApiProperty() fields_removed: number;
  @ApiProperty() fields_altered: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'Field-level diff: `fields.added`/`fields.removed` (name, ordinal, data_type, nullable, default, comment, primary_key), `fields.altered` ([{name, changes: {data_type|nullable|default|comment|primary_key|position|properties: {old, new}}}]), `asset` (kind, comment, properties: {old, new}), `keys` and `indexes` (added, removed, altered). Empty sections are left out.',
  })
  diff: Record<string, unknown>;
  @ApiProperty() created_at: string;
}

export class VersionListDto {
  @ApiProperty({ type: [VersionDto] }) versions: VersionDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() page_size: number;
}

/** What one execution changed in the catalog (shown on the execution). */
export class ExecutionChangesDto {
  @ApiProperty() execution_id: string;
  @ApiProperty() assets_added: number;
  @ApiProperty() assets_removed: number;
  @ApiProperty() assets_altered: number;
  @ApiProperty() fields_added: number;
  @ApiProperty() fields_removed: number;
  @ApiProperty() fields_altered: number;
  @ApiProperty({ description: 'Versions the execution recorded' }) versions_total: number;
  @ApiProperty({ type: [VersionDto], description: 'The first versions, by namespace and name' }) versions: VersionDto[];
}

import { ApiProperty } from '@nestjs/swagger';

export class NamespaceNodeDto {
  @ApiProperty({ example: 'public' }) name: string;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'schema',
    description: 'database, schema, vhost, keyspace, bucket or cluster',
  })
  kind: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) properties: Record<
    string,
    unknown
  > | null;
  @ApiProperty() asset_count: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { table: 12, view: 3 },
    description: 'Assets per kind',
  })
  counts: Record<string, number>;
  @ApiProperty() first_seen_at: string;
  @ApiProperty() last_seen_at: string;
}

export class MetadataTreeDto {
  @ApiProperty() data_source_id: string;
  @ApiProperty() data_source_name: string;
  @ApiProperty() data_source_type: string;
  @ApiProperty({ description: 'Current assets of the source' }) asset_count: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'Assets per kind' })
  counts: Record<string, number>;
  @ApiProperty({ nullable: true, type: String, description: 'When a run last saw the catalog of this source' })
  last_collected_at: string | null;
  @ApiProperty({ type: [NamespaceNodeDto] }) namespaces: NamespaceNodeDto[];
}

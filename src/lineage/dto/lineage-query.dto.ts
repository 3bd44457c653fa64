import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export const LINEAGE_DIRECTIONS = ['upstream', 'downstream', 'both'] as const;
export type LineageDirection = (typeof LINEAGE_DIRECTIONS)[number];

/** Deepest graph one call walks. */
export const MAX_DEPTH = 20;
/** Most neighbours listed per node and direction in one call. */
export const MAX_NEIGHBOURS = 1000;

export class LineageGraphQueryDto {
  @ApiProperty({ description: 'A catalog asset id, or a lineage node id (`lnd-…`) for an external dataset' })
  @IsString()
  @Length(1, 64)
  asset_id!: string;

  @ApiPropertyOptional({ enum: LINEAGE_DIRECTIONS, default: 'both' })
  @IsOptional()
  @IsIn(LINEAGE_DIRECTIONS)
  direction?: LineageDirection;

  @ApiPropertyOptional({ description: `Hops to walk (1–${MAX_DEPTH})`, default: 3 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_DEPTH)
  depth?: number;

  @ApiPropertyOptional({ description: 'Column-level graph from this field of the asset' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  field?: string;

  @ApiPropertyOptional({
    description: `Neighbours listed per node and direction (1–${MAX_NEIGHBOURS}); a node with more is marked has_more`,
    default: 100,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_NEIGHBOURS)
  limit?: number;

  @ApiPropertyOptional({ description: "Skips this many of the starting node's own neighbours (to page a wide layer)" })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  offset?: number;
}

export interface LineageNodeDto {
  id: string;
  /** Hops from the starting node (negative upstream, positive downstream). */
  depth: number;
  asset_id: string | null;
  datasource_id: string | null;
  datasource_name: string | null;
  datasource_type: string | null;
  namespace: string;
  name: string;
  kind: string;
  /** For datasets known only through OpenLineage. */
  openlineage: { namespace: string; name: string } | null;
  /** Why this asset's declared lineage is incomplete, if it is. */
  unresolved: string | null;
  /** More neighbours than listed, per direction (page with offset from this node). */
  has_more_upstream: boolean;
  has_more_downstream: boolean;
}

export interface LineageFieldEdgeDto {
  upstream_field: string;
  downstream_field: string;
  transformation: string;
}

export interface LineageEdgeDto {
  id: string;
  upstream: string;
  downstream: string;
  kind: string;
  origin: { type: string; id: string };
  job: { id: string; namespace: string; name: string } | null;
  run_id: string | null;
  first_seen_at: string;
  last_seen_at: string;
  fields: LineageFieldEdgeDto[];
}

export interface LineageGraphDto {
  root: string;
  direction: LineageDirection;
  depth: number;
  field: string | null;
  nodes: LineageNodeDto[];
  edges: LineageEdgeDto[];
}

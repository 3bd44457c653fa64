import { ApiProperty } from '@nestjs/swagger';

/** How many lineage edges an asset has, as its detail shows them (bound by the lineage feature). */
export class AssetLineageCountsDto {
  @ApiProperty({ description: 'Assets this one reads from directly' }) upstream: number;
  @ApiProperty({ description: 'Assets that read from this one directly' }) downstream: number;
  @ApiProperty({ description: 'Column-level edges into this asset' }) field_edges: number;
  @ApiProperty({ nullable: true, type: String, description: 'Why its declared lineage is incomplete, if it is' })
  unresolved: string | null;
  @ApiProperty({ example: '/api/v1/lineage?asset_id=ast-…' }) graph_url: string;
}

export interface CatalogLineage {
  countsOf(asset: {
    id: string;
    dataSourceId: string;
    namespace: string;
    name: string;
  }): Promise<AssetLineageCountsDto>;
}

export const CATALOG_LINEAGE = Symbol('catalog:lineage');

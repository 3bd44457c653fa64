import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AssetLineageCountsDto, CatalogLineage } from '../catalog/catalog-lineage.port';
import { dialectOf } from '../catalog/store/sql-dialect';
import { datasetKey } from './lineage-keys';

const count = (rows: unknown): number => Number((rows as Array<{ n: unknown }>)[0]?.n ?? 0);

/** The lineage counts an asset's detail shows: three indexed counts on its node. */
@Injectable()
export class AssetLineageCountsService implements CatalogLineage {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async countsOf(asset: {
    id: string;
    dataSourceId: string;
    namespace: string;
    name: string;
  }): Promise<AssetLineageCountsDto> {
    const p = dialectOf(this.db).param(1);
    const graph_url = `/api/v1/lineage?asset_id=${asset.id}`;
    const key = datasetKey({ dataSourceId: asset.dataSourceId, namespace: asset.namespace, name: asset.name });
    const nodes = (await this.db.query(`SELECT id, unresolved FROM lineage_datasets WHERE node_key = ${p}`, [
      key,
    ])) as Array<{ id: string; unresolved: string | null }>;
    if (nodes.length === 0) return { upstream: 0, downstream: 0, field_edges: 0, unresolved: null, graph_url };
    const id = nodes[0].id;
    const [upstream, downstream, fieldEdges] = await Promise.all([
      this.db.query(`SELECT COUNT(DISTINCT upstream_id) AS n FROM lineage_edges WHERE downstream_id = ${p}`, [id]),
      this.db.query(`SELECT COUNT(DISTINCT downstream_id) AS n FROM lineage_edges WHERE upstream_id = ${p}`, [id]),
      this.db.query(`SELECT COUNT(*) AS n FROM lineage_field_edges WHERE downstream_id = ${p}`, [id]),
    ]);
    return {
      upstream: count(upstream),
      downstream: count(downstream),
      field_edges: count(fieldEdges),
      unresolved: nodes[0].unresolved,
      graph_url,
    };
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dialectOf } from '../../catalog/store/sql-dialect';
import { datasetKey } from '../lineage-keys';
import { OpenLineageIngestService } from './openlineage-ingest.service';

/**
 * Datasets reported before their source was registered are external nodes; once a registered
 * source's address matches one, it becomes that source's asset (edges kept). Runs when the set of
 * registered sources has changed since the last time.
 */
@Injectable()
export class ExternalAdoptionService {
  private lastSeen = '';
  private running: Promise<void> | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly ingest: OpenLineageIngestService,
  ) {}

  async adoptIfSourcesChanged(): Promise<void> {
    const rows = (await this.db.query('SELECT COUNT(*) AS n, MAX(updated_at) AS at FROM data_sources')) as Array<{
      n: unknown;
      at: unknown;
    }>;
    const mark = `${String(rows[0]?.n)}:${String(rows[0]?.at)}`;
    if (mark === this.lastSeen) return;
    this.running ??= this.adopt().finally(() => (this.running = null));
    await this.running;
    this.lastSeen = mark;
  }

  private async adopt(): Promise<void> {
    const d = dialectOf(this.db);
    this.ingest.addresses.refresh();
    const externals = (await this.db.query(
      'SELECT id, ol_namespace, ol_name FROM lineage_datasets WHERE data_source_id IS NULL AND ol_namespace IS NOT NULL',
    )) as Array<{ id: string; ol_namespace: string; ol_name: string }>;
    for (const x of externals) {
      const spec = await this.ingest.addresses.resolve(x.ol_namespace, x.ol_name);
      if (spec.dataSourceId === null) continue;
      const key = datasetKey(spec);
      await this.db.transaction(async (em) => {
        const existing = (await em.query(`SELECT id FROM lineage_datasets WHERE node_key = ${d.param(1)}`, [
          key,
        ])) as Array<{ id: string }>;
        if (existing.length === 0) {
          await em.query(
            `UPDATE lineage_datasets SET node_key = ${d.param(1)}, data_source_id = ${d.param(2)}, namespace = ${d.param(3)}, name = ${d.param(4)} WHERE id = ${d.param(5)}`,
            [key, spec.dataSourceId, spec.namespace, spec.name, x.id],
          );
          return;
        }
        // The source's asset already has a node: the external one's edges move to it.
        const target = existing[0].id;
        for (const [table, column] of [
          ['lineage_edges', 'upstream_id'],
          ['lineage_edges', 'downstream_id'],
          ['lineage_field_edges', 'upstream_id'],
          ['lineage_field_edges', 'downstream_id'],
        ])
          await em.query(`UPDATE ${table} SET ${column} = ${d.param(1)} WHERE ${column} = ${d.param(2)}`, [
            target,
            x.id,
          ]);
        await em.query(`DELETE FROM lineage_datasets WHERE id = ${d.param(1)}`, [x.id]);
      });
    }
  }
}

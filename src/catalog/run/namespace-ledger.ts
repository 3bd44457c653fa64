import { AssetRef, CatalogNamespace, CollectScope, namespaceInScope } from '@app/connectors';
import { DataSource, EntityManager } from 'typeorm';
import { bulkId } from '../store/bulk-ids';
import { insertRows, updateByIds, updateRowsById } from '../store/bulk-sql';
import { SqlDialect } from '../store/sql-dialect';
import { propertiesText } from './asset-rows';
import { CatalogTables } from './catalog-tables';
import { KnownNamespace } from './run-state';

/**
 * The namespaces of one run: those the connector announces (with kind and properties) and those
 * its assets live in, written once per run; the ones in scope that no longer appear are removed
 * when the run completes.
 */
export class NamespaceLedger {
  private readonly known = new Map<string, KnownNamespace>();
  private readonly seen = new Set<string>();

  constructor(
    known: KnownNamespace[],
    private readonly dialect: SqlDialect,
    private readonly tables: Pick<CatalogTables, 'namespaces' | 'limits'>,
    private readonly dataSourceId: string,
    private readonly executionId: string,
  ) {
    for (const n of known) this.known.set(n.name, n);
  }

  /** Upserts what a chunk reports; `onCommit` receives the in-memory updates to apply after commit. */
  async write(
    em: EntityManager,
    reported: CatalogNamespace[],
    refs: AssetRef[],
    now: number,
    onCommit: Array<() => void>,
  ): Promise<void> {
    const wanted = new Map<string, CatalogNamespace | null>();
    for (const ns of reported) wanted.set(ns.name, ns);
    for (const ref of refs) if (!wanted.has(ref.namespace)) wanted.set(ref.namespace, null);
    const inserts: unknown[][] = [];
    const updates: unknown[][] = [];
    for (const [name, ns] of wanted) {
      const max = this.tables.limits.namespace;
      if (name.length > max)
        throw new Error(`Catalog cannot store namespace "${name.slice(0, 60)}…": longer than ${max} characters`);
      const known = this.known.get(name);
      // Named only by an asset, and already written this run: nothing new to say.
      if (!ns && known && this.seen.has(name)) continue;
      const kind = ns?.kind ?? known?.kind ?? null;
      const properties = ns ? propertiesText(ns.properties) : (known?.propertiesJson ?? null);
      if (!known) {
        const id = bulkId('ns');
        inserts.push([id, this.dataSourceId, name, kind, properties, now, now, this.executionId, null]);
        onCommit.push(() =>
          this.known.set(name, { id, name, kind, propertiesJson: properties, lastSeenAt: now, removed: false }),
        );
      } else {
        updates.push([known.id, kind, properties, now, this.executionId, null]);
        onCommit.push(() =>
          Object.assign(known, { kind, propertiesJson: properties, lastSeenAt: now, removed: false }),
        );
      }
      onCommit.push(() => this.seen.add(name));
    }
    const table = this.tables.namespaces;
    await insertRows(em, this.dialect, table.name, table.insert, inserts);
    await updateRowsById(em, this.dialect, table.name, table.update, updates);
  }

  /** Marks removed the namespaces in scope this run never saw and nobody saw since it opened. */
  async removeUnseen(db: DataSource, scope: CollectScope, openedAt: number): Promise<void> {
    const gone = [...this.known.values()].filter(
      (n) => !n.removed && !this.seen.has(n.name) && n.lastSeenAt <= openedAt && namespaceInScope(scope, n.name),
    );
    if (gone.length === 0) return;
    const now = Date.now();
    await db.transaction((em) =>
      updateByIds(
        em,
        this.dialect,
        this.tables.namespaces.name,
        { removed_at: now },
        gone.map((n) => n.id),
        (p) => ` AND removed_at IS NULL AND last_seen_at <= ${p.add(openedAt)}`,
      ),
    );
    for (const n of gone) n.removed = true;
  }
}

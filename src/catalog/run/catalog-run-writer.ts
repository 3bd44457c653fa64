import {
  AssetRef,
  assetInScope,
  assetKey,
  CatalogAsset,
  CatalogBatch,
  CatalogNamespace,
  chunk,
  CollectScope,
} from '@app/connectors';
import { DataSource, EntityManager } from 'typeorm';
import { CatalogException } from '../catalog.exception';
import { AssetDiff, diffCounts, diffShapes, isEmptyDiff } from '../shape/asset-diff';
import { AssetShape, assetShape, fieldId } from '../shape/asset-shape';
import { fingerprint } from '../shape/fingerprint';
import { bulkId } from '../store/bulk-ids';
import { deleteByIds, insertRows, selectByIds, updateByIds, updateRowsById } from '../store/bulk-sql';
import { SqlDialect } from '../store/sql-dialect';
import {
  assetInsertRow,
  assetRefreshRow,
  assetRewriteRow,
  AssetStats,
  checkLimits,
  fieldText,
  fieldValues,
  newFieldRow,
  propertiesText,
  statsOf,
  storableSignal,
} from './asset-rows';
import { CatalogTables, catalogTables } from './catalog-tables';
import { ChangeSummary, emptySummary, RunProgress } from './change-summary';
import { NamespaceLedger } from './namespace-ledger';
import { KnownAsset, KnownNamespace } from './run-state';
import { loadStoredShapes } from './stored-shapes';
import { RunLineageOutcome, RunLineagePort } from './run-lineage';
import { RunLineageLedger } from './run-lineage-ledger';

/** An asset a run added, altered or removed (what a `metadata.changed` event lists). */
export interface ChangedAsset {
  assetId: string;
  namespace: string;
  name: string;
  kind: string;
  change: string;
}

/** Called in the transaction that completes a run that changed anything. */
export type RunAnnouncer = (
  em: EntityManager,
  summary: ChangeSummary,
  changed: { assets: ChangedAsset[]; total: number },
) => Promise<void>;

/** Changed assets listed in one announcement; the counts always cover all of them. */
const ANNOUNCED_ASSETS = 100;

export interface OpenRunParams {
  dataSourceId: string;
  executionId: string;
  mode: 'full' | 'schema_only' | 'incremental';
  batchSize: number;
  scope: CollectScope;
}

type RunState = 'open' | 'completing' | 'completed' | 'failed' | 'abandoned';

interface VersionRow {
  assetId: string;
  change: 'added' | 'removed' | 'altered';
  namespace: string;
  name: string;
  kind: string;
  diff: AssetDiff;
}

/** What one transaction writes, and the in-memory updates to apply once it has committed. */
interface Plan {
  versions: VersionRow[];
  onCommit: Array<() => void>;
}

/** An asset of the chunk whose shape differs from the stored one (or that comes back after removal). */
interface Reshaped {
  key: string;
  asset: CatalogAsset;
  known: KnownAsset;
  shape: AssetShape;
  fp: string;
}

const storedStats = (k: KnownAsset): AssetStats => ({ rows: k.rowCount, bytes: k.sizeBytes, at: k.statsAt });

/**
 * Writes one collection run into the catalog. Batches are upserted in transactions of
 * `batchSize` assets; only assets whose fingerprint changed are rewritten, each change becoming
 * a version. Nothing is removed until `complete()`; `abandon()` removes nothing.
 */
export class CatalogRunWriter {
  readonly progress: RunProgress = { assetsSeen: 0, assetsWritten: 0, fieldsSeen: 0 };
  readonly previousSignals: ReadonlyMap<string, string>;
  private readonly assets = new Map<string, KnownAsset>();
  private readonly seenAssetKeys = new Set<string>();
  private readonly namespaces: NamespaceLedger;
  private readonly tables: CatalogTables;
  private readonly summary: ChangeSummary = emptySummary();
  private readonly changed: { assets: ChangedAsset[]; total: number } = { assets: [], total: 0 };
  private state: RunState = 'open';
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: DataSource,
    private readonly dialect: SqlDialect,
    private readonly run: OpenRunParams,
    known: { assets: KnownAsset[]; namespaces: KnownNamespace[] },
    /** Assets and namespaces not seen since this instant are the ones a completed run may remove. */
    private readonly openedAt: number,
    private readonly announce?: RunAnnouncer,
    lineage?: RunLineagePort,
  ) {
    const signals = new Map<string, string>();
    for (const a of known.assets) {
      const key = assetKey(a.namespace, a.name);
      this.assets.set(key, a);
      if (!a.removed && a.changeSignal !== null) signals.set(key, a.changeSignal);
    }
    this.previousSignals = signals;
    this.tables = catalogTables(db);
    this.namespaces = new NamespaceLedger(known.namespaces, dialect, this.tables, run.dataSourceId, run.executionId);
    this.lineage = lineage ? new RunLineageLedger(lineage, run) : null;
  }

  private readonly lineage: RunLineageLedger | null;

  /** What the run changed in the lineage graph, once it has completed or been abandoned (else null). */
  lineageOutcome(): RunLineageOutcome | null {
    return this.lineage?.outcome ?? null;
  }

  async write(batch: CatalogBatch): Promise<void> {
    this.assertOpen();
    return this.serially(async () => {
      this.assertOpen();
      const parts = chunk(batch.assets, this.chunkSize());
      if (parts.length === 0) parts.push([]);
      for (let i = 0; i < parts.length; i++) {
        const namespaces = i === 0 ? (batch.namespaces ?? []) : [];
        const unchanged = i === parts.length - 1 ? (batch.unchanged ?? []) : [];
        if (parts[i].length + namespaces.length + unchanged.length === 0) continue;
        await this.applyChunk(parts[i], namespaces, unchanged);
      }
      this.lineage?.note(batch);
    });
  }

  /**
   * Removes the assets (and namespaces) of this source that are in the run's scope but were
   * neither written nor reported unchanged, each as a "removed" version. Anything another run
   * touched after this one opened is left alone. Calling it again returns the same summary.
   */
  async complete(): Promise<ChangeSummary> {
    if (this.state === 'completed') return { ...this.summary };
    this.assertOpen();
    this.state = 'completing';
    return this.serially(async () => {
      try {
        await this.removeUnseenAssets();
        await this.namespaces.removeUnseen(this.db, this.run.scope, this.openedAt);
        await this.lineage?.apply(true);
        const { assets_added, assets_removed, assets_altered } = this.summary;
        if (this.announce && assets_added + assets_removed + assets_altered > 0) {
          await this.db.transaction((em) => this.announce!(em, { ...this.summary }, this.changed));
        }
      } catch (err) {
        this.state = 'failed';
        throw err;
      }
      this.state = 'completed';
      return { ...this.summary };
    });
  }

  /** A failed, cancelled or timed-out run: what was written stays, nothing is removed. */
  async abandon(): Promise<void> {
    if (this.state === 'completed' || this.state === 'abandoned') return;
    this.state = 'abandoned';
    await this.queue.catch(() => undefined);
    // Edges the run did see are kept; none is removed, as with assets.
    await this.lineage?.apply(false);
  }

  /** The counts so far (final once complete() has returned). */
  changes(): ChangeSummary {
    return { ...this.summary };
  }

  private chunkSize(): number {
    return Math.max(1, Math.floor(this.run.batchSize) || 1);
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw CatalogException.runClosed(this.run.executionId, this.state);
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async applyChunk(
    assets: CatalogAsset[],
    namespaces: CatalogNamespace[],
    unchanged: AssetRef[],
  ): Promise<void> {
    const now = Date.now();
    // The last report of an asset within a chunk wins, so one chunk never inserts it twice.
    const byKey = new Map<string, CatalogAsset>();
    for (const a of assets) {
      checkLimits(a, this.tables.limits);
      byKey.set(assetKey(a.namespace, a.name), a);
    }
    const plan: Plan = { versions: [], onCommit: [] };
    await this.db.transaction(async (em) => {
      await this.namespaces.write(em, namespaces, [...byKey.values(), ...unchanged], now, plan.onCommit);
      await this.writeAssets(em, byKey, now, plan);
      await this.touchUnchanged(em, unchanged, now, plan);
      await this.insertVersions(em, plan.versions, now);
    });
    for (const apply of plan.onCommit) apply();
    this.progress.assetsSeen += byKey.size + unchanged.length;
    this.progress.fieldsSeen += [...byKey.values()].reduce((n, a) => n + a.fields.length, 0);
  }

  /** Sorts the chunk's assets into new, reshaped, returning and unchanged, and writes each kind in bulk. */
  private async writeAssets(
    em: EntityManager,
    byKey: Map<string, CatalogAsset>,
    now: number,
    plan: Plan,
  ): Promise<void> {
    const d = this.dialect;
    const { assets, fields } = this.tables;
    const execution = this.run.executionId;
    const assetInserts: unknown[][] = [];
    const fieldInserts: unknown[][] = [];
    const fieldDeletes: string[] = [];
    const fieldUpdates: unknown[][] = [];
    const rewrites: unknown[][] = [];
    const refreshes: unknown[][] = [];
    const touches: string[] = [];
    const altered: Reshaped[] = [];
    const revived: Reshaped[] = [];

    for (const [key, asset] of byKey) {
      const shape = assetShape(asset);
      const fp = fingerprint(shape);
      const known = this.assets.get(key);
      if (!known) {
        const id = bulkId('ast');
        const stats = statsOf(asset, null, now);
        assetInserts.push(assetInsertRow(id, this.run.dataSourceId, asset, fp, stats, now, execution));
        for (const f of asset.fields) fieldInserts.push(newFieldRow(id, f, d));
        this.addVersion(plan, {
          assetId: id,
          change: 'added',
          namespace: asset.namespace,
          name: asset.name,
          kind: asset.kind,
          diff: diffShapes(null, shape),
        });
        this.remember(plan, key, asset, id, fp, stats, now, now, true);
      } else if (known.removed) {
        revived.push({ key, asset, known, shape, fp });
      } else if (known.fingerprint !== fp) {
        altered.push({ key, asset, known, shape, fp });
      } else {
        // Same shape: refresh statistics and state, or only stamp it as seen.
        const stats = statsOf(asset, storedStats(known), now);
        const refreshed =
          asset.statistics !== undefined ||
          (asset.owner ?? null) !== known.owner ||
          propertiesText(asset.properties) !== known.propertiesJson ||
          storableSignal(asset.changeSignal) !== known.changeSignal;
        if (refreshed) refreshes.push(assetRefreshRow(known.id, asset, stats, now, execution));
        else touches.push(known.id);
        this.remember(plan, key, asset, known.id, fp, stats, known.firstSeenAt, now, false);
      }
    }

    // Back again after a removal: the old fields go, the asset is "added" anew.
    if (revived.length > 0) {
      await deleteByIds(
        em,
        d,
        fields.name,
        revived.map((r) => r.known.id),
        'asset_id',
      );
      for (const r of revived) {
        const stats = statsOf(r.asset, storedStats(r.known), now);
        rewrites.push(assetRewriteRow(r.known.id, r.asset, r.fp, stats, now, execution));
        for (const f of r.asset.fields) fieldInserts.push(newFieldRow(r.known.id, f, d));
        this.addVersion(plan, {
          assetId: r.known.id,
          change: 'added',
          namespace: r.asset.namespace,
          name: r.asset.name,
          kind: r.asset.kind,
          diff: diffShapes(null, r.shape),
        });
        this.remember(plan, r.key, r.asset, r.known.id, r.fp, stats, r.known.firstSeenAt, now, true);
      }
    }

    // A changed shape: diff against the stored one, then touch only the fields that differ.
    if (altered.length > 0) {
      const stored = await loadStoredShapes(
        em,
        d,
        altered.map((a) => a.known.id),
      );
      for (const a of altered) {
        const before = stored.get(a.known.id);
        const diff = diffShapes(before ? assetShape(before.source) : null, a.shape);
        const oldFields = new Map((before?.fields ?? []).map((f) => [fieldId(f.field), f]));
        const newIds = new Set(a.asset.fields.map(fieldId));
        for (const old of oldFields.values()) if (!newIds.has(fieldId(old.field))) fieldDeletes.push(old.id);
        for (const f of a.asset.fields) {
          const old = oldFields.get(fieldId(f));
          if (!old) fieldInserts.push(newFieldRow(a.known.id, f, d));
          else if (old.storedText !== fieldText(f)) fieldUpdates.push([old.id, ...fieldValues(f, d)]);
        }
        const stats = statsOf(a.asset, storedStats(a.known), now);
        rewrites.push(assetRewriteRow(a.known.id, a.asset, a.fp, stats, now, execution));
        const visible = !isEmptyDiff(diff);
        if (visible)
          this.addVersion(plan, {
            assetId: a.known.id,
            change: 'altered',
            namespace: a.asset.namespace,
            name: a.asset.name,
            kind: a.asset.kind,
            diff,
          });
        this.remember(plan, a.key, a.asset, a.known.id, a.fp, stats, a.known.firstSeenAt, now, visible);
      }
    }

    await insertRows(em, d, assets.name, assets.insert, assetInserts);
    await updateRowsById(em, d, assets.name, assets.rewrite, rewrites);
    await deleteByIds(em, d, fields.name, fieldDeletes);
    await updateRowsById(em, d, fields.name, fields.update, fieldUpdates);
    await insertRows(em, d, fields.name, fields.insert, fieldInserts);
    await updateRowsById(em, d, assets.name, assets.refresh, refreshes);
    await updateByIds(em, d, assets.name, { last_seen_at: now, last_seen_execution_id: execution }, touches);
  }

  /** Records, for after the commit, what the catalog now holds about an asset and how to count it. */
  private remember(
    plan: Plan,
    key: string,
    asset: CatalogAsset,
    id: string,
    fp: string,
    stats: AssetStats,
    firstSeenAt: number,
    now: number,
    written: boolean,
  ): void {
    const next: KnownAsset = {
      id,
      namespace: asset.namespace,
      name: asset.name,
      kind: asset.kind,
      fingerprint: fp,
      changeSignal: storableSignal(asset.changeSignal),
      owner: asset.owner ?? null,
      propertiesJson: propertiesText(asset.properties),
      rowCount: stats.rows,
      sizeBytes: stats.bytes,
      statsAt: stats.at,
      firstSeenAt,
      lastSeenAt: now,
      removed: false,
    };
    plan.onCommit.push(() => {
      const first = !this.seenAssetKeys.has(key);
      this.assets.set(key, next);
      this.seenAssetKeys.add(key);
      if (written) this.progress.assetsWritten++;
      else if (first) this.summary.assets_unchanged++;
    });
  }

  /** Assets the connector skipped because their change signal matched: seen, not re-read. */
  private async touchUnchanged(em: EntityManager, refs: AssetRef[], now: number, plan: Plan): Promise<void> {
    const ids: string[] = [];
    for (const ref of refs) {
      const key = assetKey(ref.namespace, ref.name);
      const known = this.assets.get(key);
      if (!known || known.removed) continue;
      ids.push(known.id);
      plan.onCommit.push(() => {
        if (!this.seenAssetKeys.has(key)) this.summary.assets_unchanged++;
        this.seenAssetKeys.add(key);
        known.lastSeenAt = now;
      });
    }
    await updateByIds(
      em,
      this.dialect,
      this.tables.assets.name,
      { last_seen_at: now, last_seen_execution_id: this.run.executionId },
      ids,
    );
  }

  private addVersion(plan: Plan, v: VersionRow): void {
    plan.versions.push(v);
    const counts = diffCounts(v.diff);
    plan.onCommit.push(() => {
      this.changed.total++;
      if (this.changed.assets.length < ANNOUNCED_ASSETS)
        this.changed.assets.push({
          assetId: v.assetId,
          namespace: v.namespace,
          name: v.name,
          kind: v.kind,
          change: v.change,
        });
      if (v.change === 'added') this.summary.assets_added++;
      else if (v.change === 'removed') this.summary.assets_removed++;
      else this.summary.assets_altered++;
      this.summary.fields_added += counts.fieldsAdded;
      this.summary.fields_removed += counts.fieldsRemoved;
      this.summary.fields_altered += counts.fieldsAltered;
    });
  }

  private async insertVersions(em: EntityManager, versions: VersionRow[], now: number): Promise<void> {
    const rows = versions.map((v) => {
      const c = diffCounts(v.diff);
      return [
        bulkId('ver'),
        v.assetId,
        this.run.dataSourceId,
        this.run.executionId,
        v.change,
        v.namespace,
        v.name,
        v.kind,
        c.fieldsAdded,
        c.fieldsRemoved,
        c.fieldsAltered,
        JSON.stringify(v.diff),
        now,
      ];
    });
    await insertRows(em, this.dialect, this.tables.versions.name, this.tables.versions.insert, rows);
  }

  private async removeUnseenAssets(): Promise<void> {
    const scope = this.run.scope;
    const candidates = [...this.assets.entries()].filter(
      ([key, a]) =>
        !a.removed &&
        !this.seenAssetKeys.has(key) &&
        a.lastSeenAt <= this.openedAt &&
        assetInScope(scope, a.namespace, a.name),
    );
    for (const part of chunk(candidates, this.chunkSize())) {
      const now = Date.now();
      const plan: Plan = { versions: [], onCommit: [] };
      await this.db.transaction(async (em) => {
        // Re-checked under lock: another run may have seen the asset since this one opened.
        const still = await selectByIds<{ id: string }>(
          em,
          this.dialect,
          `SELECT id FROM ${this.tables.assets.name} WHERE`,
          'id',
          part.map(([, a]) => a.id),
          (p) => ` AND removed_at IS NULL AND last_seen_at <= ${p.add(this.openedAt)}${this.dialect.forUpdate}`,
        );
        const ids = new Set(still.map((r) => r.id));
        const stored = await loadStoredShapes(em, this.dialect, [...ids]);
        for (const [, a] of part.filter(([, x]) => ids.has(x.id))) {
          const before = stored.get(a.id);
          this.addVersion(plan, {
            assetId: a.id,
            change: 'removed',
            namespace: a.namespace,
            name: a.name,
            kind: a.kind,
            diff: diffShapes(before ? assetShape(before.source) : null, null),
          });
          plan.onCommit.push(() => (a.removed = true));
        }
        await updateByIds(em, this.dialect, this.tables.assets.name, { removed_at: now, changed_at: now }, [...ids]);
        await this.insertVersions(em, plan.versions, now);
      });
      for (const apply of plan.onCommit) apply();
    }
  }
}

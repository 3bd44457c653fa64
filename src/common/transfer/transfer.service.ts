import { DataSource } from 'typeorm';
import { Principal } from '../../auth/role';
import { ErrorCode } from '../errors/error-code';
import { iso } from '../timestamps';
import { isUniqueViolation } from '../../database/store-errors';
import { refuseEmbeddedPasswords } from './embedded-passwords';
import { RenderedExport, renderExport } from './export-document';
import { isRecord, readImportDocument, validatePlain } from './import-document';
import { importChecked, itemErrorOf } from './import-writes';
import { TransferAdapter, TransferKind } from './transfer-adapter';
import {
  ImportedItemDto,
  ImportItemErrorDto,
  ImportQueryDto,
  ImportSummaryDto,
  ImportWarningDto,
} from './transfer.dto';

export type ExportDocument<K extends TransferKind> = { exported_at: string; count: number } & Record<
  K['listKey'],
  K['exported'][]
>;
export type ImportResult<K extends TransferKind> = ImportSummaryDto & Record<K['listKey'], ImportedItemDto[]>;

type Planned<K extends TransferKind> =
  | { index: number; item: K['item']; action: 'created'; row: K['row']; warnings: string[] }
  | { index: number; item: K['item']; action: 'updated'; existing: K['row']; changes: K['changes'] };

/**
 * Import and export of one resource as JSON or YAML, the same for every resource: the adapter says
 * what differs. Secrets never leave in clear, and a credential outside a secret field refuses the
 * whole import.
 */
export class TransferService<K extends TransferKind> {
  constructor(
    private readonly db: DataSource,
    private readonly adapter: TransferAdapter<K>,
  ) {}

  async export(request: K['exportRequest']): Promise<RenderedExport<ExportDocument<K>>> {
    const rows = await this.adapter.findForExport(request);
    if (request.ids) {
      const missing = request.ids.filter((id) => !rows.some((r) => r.id === id));
      if (missing.length > 0) throw this.adapter.notFound(missing.join(', '));
    }
    const exported = this.adapter.selectExported ? this.adapter.selectExported(rows, request) : rows;
    const document = {
      exported_at: iso(new Date())!,
      count: exported.length,
      [this.adapter.listKey]: exported.map((r) => this.adapter.toExported(r)),
    } as ExportDocument<K>;
    return renderExport(document, request.format);
  }

  /**
   * Imports a list. By default all or nothing: every item is checked first and one bad item
   * imports none; with `continue_on_error` the good ones are imported and the bad ones reported.
   */
  async import(body: unknown, query: ImportQueryDto, actor?: Principal): Promise<ImportResult<K>> {
    const { listKey, configKey } = this.adapter;
    const request = await readImportDocument(body, query, { listKey, requestClass: this.adapter.requestClass });
    const items = request[listKey as K['listKey']];
    refuseEmbeddedPasswords(items, { listKey, configKey }, (type) => this.adapter.secretFieldsOf(type));
    const continueOnError = request.continue_on_error ?? false;
    const errors: ImportItemErrorDto[] = [];
    const planned = await this.plan(items, request.update_existing ?? false, actor, errors);

    const outcome = await importChecked(
      this.db,
      items.length,
      planned,
      errors,
      continueOnError,
      (manager, p) =>
        p.action === 'created'
          ? this.adapter.insert(manager, p.row)
          : this.adapter.update(manager, p.existing, p.changes),
      (p, err) => this.writeError(p, err),
    );
    if (outcome.nothingImported) return this.result(items.length, [], outcome.errors, [], outcome.nothingImported);
    const done: ImportedItemDto[] = outcome.written.map((p) => ({
      index: p.index,
      id: p.action === 'created' ? p.row.id : p.existing.id,
      name: p.item.name,
      action: p.action,
    }));
    const warnings: ImportWarningDto[] = outcome.written.flatMap((p) =>
      p.action === 'created' ? p.warnings.map((message) => ({ index: p.index, name: p.item.name, message })) : [],
    );
    const updated = outcome.written.flatMap((p) =>
      p.action === 'updated' ? [{ existing: p.existing, changes: p.changes }] : [],
    );
    await this.adapter.afterUpdates?.(updated);
    return this.result(
      items.length,
      done,
      outcome.errors,
      warnings,
      `Imported ${done.length} of ${items.length} ${this.adapter.plural}`,
    );
  }

  /** Checks every item before anything is written; refusals go to `errors`, the rest becomes the plan. */
  private async plan(
    items: unknown[],
    updateExisting: boolean,
    actor: Principal | undefined,
    errors: ImportItemErrorDto[],
  ): Promise<Planned<K>[]> {
    const planned: Planned<K>[] = [];
    const seen = new Set<string>();
    for (const [index, raw] of items.entries()) {
      if (!isRecord(raw)) {
        errors.push({
          index,
          name: null,
          code: ErrorCode.InvalidRequest,
          message: `An item must be an object with name, type and ${this.adapter.configKey}`,
        });
        continue;
      }
      const rawName = typeof raw.name === 'string' ? raw.name : null;
      const { value: item, problems } = await validatePlain(this.adapter.itemClass, raw);
      if (problems.length > 0) {
        errors.push({
          index,
          name: rawName,
          code: ErrorCode.InvalidRequest,
          message: `Validation failed: ${problems.join('; ')}`,
        });
        continue;
      }
      const key = this.adapter.keyOf(item);
      if (seen.has(key)) {
        errors.push({ index, name: item.name, code: ErrorCode.Conflict, message: this.adapter.repeated(item) });
        continue;
      }
      seen.add(key);
      try {
        const existing = await this.adapter.findExisting(item);
        this.adapter.refuse?.(item, existing);
        if (existing && !updateExisting) throw this.adapter.nameTaken(item);
        if (existing) {
          planned.push({ index, item, action: 'updated', existing, changes: this.adapter.draftUpdate(existing, item) });
        } else {
          const { row, warnings } = this.adapter.draftNew(item, actor);
          planned.push({ index, item, action: 'created', row, warnings });
        }
      } catch (err) {
        errors.push(itemErrorOf(index, item.name, err));
      }
    }
    return planned;
  }

  /** A unique index refusing the write means another writer took the name since the check. */
  private writeError(p: Planned<K>, err: unknown): ImportItemErrorDto {
    if (isUniqueViolation(err)) return itemErrorOf(p.index, p.item.name, this.adapter.nameTaken(p.item));
    throw err;
  }

  private result(
    total: number,
    done: ImportedItemDto[],
    errors: ImportItemErrorDto[],
    warnings: ImportWarningDto[],
    message: string,
  ): ImportResult<K> {
    return {
      total,
      success: done.length,
      failed: errors.length,
      errors,
      [this.adapter.listKey]: done,
      warnings,
      message,
    } as ImportResult<K>;
  }
}

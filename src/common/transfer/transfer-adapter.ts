import { EntityManager } from 'typeorm';
import { Principal } from '../../auth/role';
import { DomainException } from '../errors/domain.exception';
import { ImportOptionsDto, TransferFormat } from './transfer.dto';

/** What a validated import item has, whatever the resource. */
export interface TransferItem {
  name: string;
  type: string;
}

/** The filter of an export request; a resource may add options of its own (templates: include_system). */
export interface ExportFilter {
  ids?: string[];
  type?: string;
  format?: TransferFormat;
}

/** The types one resource transfers, named once so the service and its adapter agree. */
export interface TransferKind {
  /** The document's list key: `data_sources`, `templates`. */
  listKey: string;
  row: { id: string };
  /** A validated import item. */
  item: TransferItem;
  /** A checked update of a stored row, ready to write. */
  changes: unknown;
  /** One item of an export document. */
  exported: object;
  exportRequest: ExportFilter;
}

export type ImportRequest<K extends TransferKind> = ImportOptionsDto & Record<K['listKey'], unknown[]>;

/**
 * What one resource supplies to the shared import/export: its document's names, how an item is
 * found, checked and written, and how a row is shown. Secrets are the drafts' job: `draftNew`
 * leaves a masked secret unset with a warning, `draftUpdate` keeps a stored one under the
 * secret-binding rules, and `toExported` masks.
 */
export interface TransferAdapter<K extends TransferKind> {
  readonly listKey: K['listKey'];
  /** The item field holding the config, searched for credentials outside its secret fields. */
  readonly configKey: string;
  /** How the import message counts items ("Imported 2 of 3 data sources"). */
  readonly plural: string;
  readonly requestClass: new () => ImportRequest<K>;
  readonly itemClass: new () => K['item'];

  /** A type's secret fields, or undefined for a type this build lacks (the item check reports that). */
  secretFieldsOf(type: string): string[] | undefined;

  /** The rows an export request picks, in document order. */
  findForExport(request: K['exportRequest']): Promise<K['row'][]>;
  /** The refusal of ids that matched nothing (`ids` joined with ", "). */
  notFound(ids: string): DomainException;
  /** Narrows or refuses the found rows; absent, all are exported. */
  selectExported?(rows: K['row'][], request: K['exportRequest']): K['row'][];
  /** A row as the document shows it, secrets masked. */
  toExported(row: K['row']): K['exported'];

  /** What identifies an item within one document, and the refusal of a second one. */
  keyOf(item: K['item']): string;
  repeated(item: K['item']): string;
  findExisting(item: K['item']): Promise<K['row'] | null>;
  /** Refuses an item whatever update_existing says (templates: built-ins). */
  refuse?(item: K['item'], existing: K['row'] | null): void;
  nameTaken(item: K['item']): DomainException;
  draftNew(item: K['item'], actor: Principal | undefined): { row: K['row']; warnings: string[] };
  draftUpdate(existing: K['row'], item: K['item']): K['changes'];
  insert(manager: EntityManager, row: K['row']): Promise<void>;
  update(manager: EntityManager, existing: K['row'], changes: K['changes']): Promise<void>;
  /** Runs once the written updates are stored (data sources: close pools of changed configs). */
  afterUpdates?(updated: { existing: K['row']; changes: K['changes'] }[]): Promise<void>;
}

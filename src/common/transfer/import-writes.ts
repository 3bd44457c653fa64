import { DataSource, EntityManager } from 'typeorm';
import { DomainException } from '../errors/domain.exception';
import { ImportItemErrorDto } from './transfer.dto';

/** Thrown inside the all-or-nothing transaction to roll it back, naming the item that failed. */
class ItemFailed extends Error {
  constructor(readonly error: ImportItemErrorDto) {
    super(error.message);
  }
}

/** The per-item report of a refusal; anything that is not a DomainException is a real failure and propagates. */
export function itemErrorOf(index: number, name: string | null, err: unknown): ImportItemErrorDto {
  if (err instanceof DomainException)
    return { index, name, code: err.code, message: err.details ? `${err.message} (${err.details})` : err.message };
  throw err;
}

export type WriteOutcome<P> = { written: P[]; failed: ImportItemErrorDto[] } | { rolledBackBy: ImportItemErrorDto };

/**
 * Stores checked items. All or nothing by default (one transaction, rolled back by the first item the
 * store refuses); with `continueOnError` each item is written on its own and refusals are reported.
 * `refusal` turns a store error into the item's report, or rethrows what is not the item's fault.
 */
export async function writeImport<P>(
  db: DataSource,
  planned: P[],
  continueOnError: boolean,
  write: (manager: EntityManager, item: P) => Promise<void>,
  refusal: (item: P, err: unknown) => ImportItemErrorDto,
): Promise<WriteOutcome<P>> {
  if (continueOnError) {
    const written: P[] = [];
    const failed: ImportItemErrorDto[] = [];
    for (const item of planned) {
      try {
        await write(db.manager, item);
        written.push(item);
      } catch (err) {
        failed.push(refusal(item, err));
      }
    }
    return { written, failed };
  }
  try {
    await db.transaction(async (manager) => {
      for (const item of planned) {
        try {
          await write(manager, item);
        } catch (err) {
          throw new ItemFailed(refusal(item, err));
        }
      }
    });
    return { written: planned, failed: [] };
  } catch (err) {
    if (err instanceof ItemFailed) return { rolledBackBy: err.error };
    throw err;
  }
}

/** A checked list's fate: what was written and what was refused (in list order), or why nothing was written. */
export interface ImportOutcome<P> {
  written: P[];
  errors: ImportItemErrorDto[];
  /** Set when nothing was written. */
  nothingImported?: string;
}

/**
 * Writes the planned items of a list of `total`, of which checking refused `checkErrors`: nothing
 * when some were refused and `continueOnError` is off, else as writeImport does.
 */
export async function importChecked<P>(
  db: DataSource,
  total: number,
  planned: P[],
  checkErrors: ImportItemErrorDto[],
  continueOnError: boolean,
  write: (manager: EntityManager, item: P) => Promise<void>,
  refusal: (item: P, err: unknown) => ImportItemErrorDto,
): Promise<ImportOutcome<P>> {
  if (checkErrors.length > 0 && !continueOnError) {
    return {
      written: [],
      errors: checkErrors,
      nothingImported: `Nothing imported: ${checkErrors.length} of ${total} items are invalid; fix them or pass continue_on_error`,
    };
  }
  const outcome = await writeImport(db, planned, continueOnError, write, refusal);
  if ('rolledBackBy' in outcome) {
    return {
      written: [],
      errors: [outcome.rolledBackBy],
      nothingImported: `Nothing imported: item ${outcome.rolledBackBy.index} could not be stored`,
    };
  }
  return { written: outcome.written, errors: [...checkErrors, ...outcome.failed].sort((a, b) => a.index - b.index) };
}

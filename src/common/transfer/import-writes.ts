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
  if (err instanceof DomainException) return { index, name, code: err.code, message: err.details ? `${err.message} (${err.details})` : err.message };
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

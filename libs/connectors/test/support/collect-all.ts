import type { CatalogBatch, CollectOptions, Connector } from '../../src';

/** Every batch one collection yields, in order. */
export async function collectAll(connector: Connector, opts: CollectOptions): Promise<CatalogBatch[]> {
  const batches: CatalogBatch[] = [];
  for await (const batch of connector.collect(opts)) batches.push(batch);
  return batches;
}

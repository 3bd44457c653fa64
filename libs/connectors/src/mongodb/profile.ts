import { AssetProfile, ProfileOptions, ProfileTarget } from '../core/types';
import { MongoCatalogClient } from './catalog-client';
import { callWithin } from './collect';
import { MongoSettings } from './config';
import { profileField } from './field-profile';
import { inferSchema } from './schema-inference';

/** Profiles a collection from a bounded `$sample`: the catalogued fields, or every path the sample shows. */
export async function profileMongo(
  client: MongoCatalogClient,
  settings: MongoSettings,
  target: ProfileTarget,
  options: ProfileOptions,
): Promise<AssetProfile> {
  const call = <T>(what: string, work: () => Promise<T>) => callWithin(settings, options.signal, what, work);
  const where = `${target.namespace}.${target.name}`;
  await call('connect', () => client.connect());
  const rows = await call(`count ${where}`, () => client.estimatedCount(target.namespace, target.name));
  const docs = await call(`$sample ${where}`, () => client.sample(target.namespace, target.name, options.sampleRows));
  // Without catalogued fields, profile every path the sample shows.
  const paths =
    target.fields.length > 0 ? target.fields.map((f) => f.name) : inferSchema(docs).fields.map((f) => f.path);
  return {
    row_count: rows,
    sampled: rows > docs.length,
    sample_rows: docs.length,
    columns: paths.map((path) => profileField(docs, path, { topValues: options.topValues, topN: options.topN })),
  };
}

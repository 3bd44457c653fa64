import type { DataSource } from '../api/types';
import { useResource } from '../lib/use-resource';

/** A data source's name for breadcrumbs (its id until it is loaded). */
export function SourceName({ id }: { id: string }) {
  const ds = useResource<DataSource>(`/datasources/${id}`);
  return <>{ds.data?.name ?? id}</>;
}

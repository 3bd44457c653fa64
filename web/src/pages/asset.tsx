import { useLocation } from 'preact-iso';
import type { AssetDetail } from '../api/types';
import { AnnotationsEditor } from '../components/asset-annotations';
import { FieldsTable } from '../components/asset-fields';
import { KeysAndIndexes } from '../components/asset-keys';
import { LineageGraph } from '../components/asset-lineage';
import { SourceName } from '../components/source-name';
import { ProfilePanel } from '../components/asset-profile';
import { VersionsPanel } from '../components/asset-versions';
import { Badge, ErrorNote, Loading, Page, Tabs } from '../components/ui';
import { bytes, count, when } from '../lib/format';
import { useResource } from '../lib/use-resource';

const TABS: Array<[string, string]> = [
  ['fields', 'Fields'],
  ['keys', 'Keys and indexes'],
  ['profile', 'Statistics and profile'],
  ['versions', 'Versions'],
  ['lineage', 'Lineage'],
  ['annotations', 'Annotations'],
];

export function AssetPage({ id }: { id: string }) {
  const { query, route, path } = useLocation();
  const tab = TABS.some(([t]) => t === query.tab) ? query.tab : 'fields';
  const asset = useResource<AssetDetail>(`/metadata/assets/${id}`);
  if (asset.error) return <ErrorNote error={asset.error} />;
  if (!asset.data) return <Loading what="Loading the asset" />;
  const a = asset.data;
  const select = (t: string) => route(`${path}?tab=${t}`, true);
  const description = a.annotations?.description || a.comment;
  return (
    <Page title={a.name}>
      <nav aria-label="Breadcrumb" class="crumbs">
        <a href="/">All sources</a> /{' '}
        <a href={`/browse/${a.data_source_id}`}>
          <SourceName id={a.data_source_id} />
        </a>{' '}
        / <a href={`/browse/${a.data_source_id}/${encodeURIComponent(a.namespace)}`}>{a.namespace}</a> /{' '}
        <span aria-current="page">{a.name}</span>
      </nav>
      <p class="summary">
        <Badge>{a.type}</Badge> {count(a.field_count)} fields · {count(a.statistics?.rows)} rows ·{' '}
        {bytes(a.statistics?.bytes)} · changed {when(a.changed_at)}
        {a.removed_at ? <Badge tone="bad">removed {when(a.removed_at)}</Badge> : null}
        {a.annotations?.certification ? (
          <Badge tone={a.annotations.certification.status === 'certified' ? 'ok' : 'warn'}>
            {a.annotations.certification.status}
          </Badge>
        ) : null}
      </p>
      {description ? <p class="description">{description}</p> : null}
      {a.annotations?.tags.length ? (
        <p class="tags" aria-label="Tags">
          {a.annotations.tags.map((t) => (
            <Badge key={t}>{t}</Badge>
          ))}
        </p>
      ) : null}
      <Tabs tabs={TABS} current={tab} onSelect={select} />
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} class="panel">
        {tab === 'fields' ? <FieldsTable fields={a.fields} focus={query.field} /> : null}
        {tab === 'keys' ? <KeysAndIndexes keys={a.keys} indexes={a.indexes} /> : null}
        {tab === 'profile' ? <ProfilePanel asset={a} /> : null}
        {tab === 'versions' ? <VersionsPanel assetId={a.id} /> : null}
        {tab === 'lineage' ? <LineageGraph assetId={a.id} /> : null}
        {tab === 'annotations' ? <AnnotationsEditor asset={a} onSaved={asset.reload} /> : null}
      </div>
    </Page>
  );
}

import { DataSource } from 'typeorm';
import { dialectOf } from '../../catalog/store/sql-dialect';
import { DatasetSpec } from '../lineage-keys';
import { catalogCandidates, normalHost, parseNamespace } from './dataset-naming';

interface SourceAddress {
  id: string;
  type: string;
  hosts: Array<{ host: string; port: number | null }>;
  database: string | null;
}

/** How long the list of registered sources is reused before it is read again. */
const TTL_MS = 5000;

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'string' && v ? Number(v) : null);

/** host:port (or a URL) as the source's config writes it. */
function hostPort(raw: string): { host: string; port: number | null } {
  const url = /^[a-z]+:\/\/([^/]+)/i.exec(raw);
  const authority = url ? url[1] : raw;
  const [host, port] = authority.split(':');
  return { host: normalHost(host), port: port ? Number(port) : null };
}

/** The addresses a source's (non-secret) config names. */
function addressOf(id: string, type: string, configText: string): SourceAddress {
  let config: Record<string, unknown> = {};
  try {
    config = JSON.parse(configText) as Record<string, unknown>;
  } catch {
    // An unreadable config names no address.
  }
  const hosts: SourceAddress['hosts'] = [];
  const host = str(config.host);
  if (host) hosts.push({ host: normalHost(host), port: num(config.port) });
  for (const key of ['brokers', 'nodes'])
    if (Array.isArray(config[key])) for (const b of config[key] as unknown[]) if (str(b)) hosts.push(hostPort(str(b)!));
  const endpoint = str(config.endpoint);
  if (endpoint) hosts.push(hostPort(endpoint));
  return { id, type, hosts, database: str(config.database) ?? str(config.service_name) };
}

/**
 * Matches OpenLineage dataset namespaces to registered sources by address, and names the catalog
 * asset a dataset is. Reads only the non-secret parts of configs.
 */
export class SourceAddressBook {
  private sources: SourceAddress[] = [];
  private loadedAt = 0;
  /** Datasets already resolved against the current list (cleared with it). */
  private readonly resolved = new Map<string, DatasetSpec>();

  constructor(private readonly db: DataSource) {}

  private async current(): Promise<SourceAddress[]> {
    if (Date.now() - this.loadedAt > TTL_MS) {
      const rows = (await this.db.query('SELECT id, type, config FROM data_sources')) as Array<{
        id: string;
        type: string;
        config: string;
      }>;
      this.sources = rows.map((r) => addressOf(r.id, r.type, r.config));
      this.resolved.clear();
      this.loadedAt = Date.now();
    }
    return this.sources;
  }

  /** Forgets the cached sources (after a registration, so adoption sees it at once). */
  refresh(): void {
    this.loadedAt = 0;
  }

  /** The dataset as a catalog asset of a registered source, or as an external dataset. */
  async resolve(namespace: string, name: string): Promise<DatasetSpec> {
    await this.current();
    const key = `${namespace}\u0000${name}`;
    const known = this.resolved.get(key);
    if (known) return known;
    const spec = await this.match(namespace, name);
    // Unmatched datasets are looked up again on the next reload; a matched one stays matched.
    this.resolved.set(key, spec);
    return spec;
  }

  private async match(namespace: string, name: string): Promise<DatasetSpec> {
    const external: DatasetSpec = { dataSourceId: null, namespace, name, olNamespace: namespace, olName: name };
    const parsed = parseNamespace(namespace);
    if (!parsed) return external;
    const isBucket = parsed.scheme === 's3' || parsed.scheme === 's3a';
    const sources = (await this.current()).filter(
      (s) =>
        parsed.types.includes(s.type) &&
        (isBucket || s.hosts.some((h) => h.host === parsed.host && (h.port === null || h.port === parsed.port))),
    );
    for (const s of sources) {
      const candidates = isBucket
        ? [{ namespace: parsed.host, name: name.replace(/^\/+/, '') }]
        : catalogCandidates(parsed.scheme, name, s.database);
      const parts = name.split('.');
      // db.schema.table of another database on the same server is not this source's.
      if (parsed.scheme.startsWith('postgres') && parts.length === 3 && s.database && parts[0] !== s.database) continue;
      const found = await this.inCatalog(s.id, candidates);
      if (found) return { dataSourceId: s.id, ...found, olNamespace: namespace, olName: name };
      if (!isBucket && parsed.scheme !== 'kafka')
        return { dataSourceId: s.id, ...candidates[0], olNamespace: namespace, olName: name };
    }
    return external;
  }

  /** The first candidate the source's catalog holds (current or removed), or a topic/object by name alone. */
  private async inCatalog(
    dataSourceId: string,
    candidates: Array<{ namespace: string; name: string }>,
  ): Promise<{ namespace: string; name: string } | null> {
    const d = dialectOf(this.db);
    for (const c of candidates) {
      const rows = (await this.db.query(
        c.namespace === ''
          ? `SELECT namespace, name FROM catalog_assets WHERE data_source_id = ${d.param(1)} AND name = ${d.param(2)}`
          : `SELECT namespace, name FROM catalog_assets WHERE data_source_id = ${d.param(1)} AND name = ${d.param(2)} AND namespace = ${d.param(3)}`,
        c.namespace === '' ? [dataSourceId, c.name] : [dataSourceId, c.name, c.namespace],
      )) as Array<{ namespace: string; name: string }>;
      if (rows.length > 0) return rows[0];
    }
    return null;
  }
}

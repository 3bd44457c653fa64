/**
 * OpenLineage dataset naming (spec/Naming.md): a namespace `scheme://authority` names the data
 * source, the name the dataset within it (`postgres://host:5432` + `db.schema.table`,
 * `mysql://host:3306` + `db.table`, `kafka://broker:9092` + topic, `s3://bucket` + path).
 */

/** The source types each namespace scheme can name. */
const SCHEME_TYPES: Record<string, string[]> = {
  postgres: ['postgresql'],
  postgresql: ['postgresql'],
  mysql: ['mysql', 'doris'],
  mariadb: ['mysql'],
  clickhouse: ['clickhouse'],
  sqlserver: ['sqlserver'],
  mssql: ['sqlserver'],
  oracle: ['oracle'],
  hive: ['hive'],
  doris: ['doris'],
  mongodb: ['mongodb'],
  kafka: ['kafka'],
  s3: ['minio'],
  s3a: ['minio'],
  redis: ['redis'],
  amqp: ['rabbitmq'],
  rabbitmq: ['rabbitmq'],
  elasticsearch: ['elasticsearch'],
};

const DEFAULT_PORTS: Record<string, number> = {
  postgres: 5432,
  postgresql: 5432,
  mysql: 3306,
  mariadb: 3306,
  clickhouse: 8123,
  sqlserver: 1433,
  mssql: 1433,
  oracle: 1521,
  hive: 10000,
  doris: 9030,
  mongodb: 27017,
  kafka: 9092,
  redis: 6379,
  amqp: 5672,
  rabbitmq: 5672,
  elasticsearch: 9200,
};

export interface ParsedNamespace {
  scheme: string;
  /** Lower-cased host (or bucket for object stores). */
  host: string;
  port: number | null;
  types: string[];
}

/** The scheme, host and port of a dataset namespace; null when it names no kind of source this service registers. */
export function parseNamespace(namespace: string): ParsedNamespace | null {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/i.exec(namespace.trim());
  if (!m) return null;
  const scheme = m[1].toLowerCase();
  const types = SCHEME_TYPES[scheme];
  if (!types) return null;
  let authority = m[2];
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  // First host of a list (kafka://a:9092,b:9092); [v6]:port.
  authority = authority.split(',')[0];
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(authority);
  const hp = v6 ? [v6[1], v6[2]] : authority.split(':');
  const host = normalHost(hp[0] ?? '');
  const port = hp[1] ? Number(hp[1]) : (DEFAULT_PORTS[scheme] ?? null);
  return { scheme, host, port: Number.isFinite(port) ? port : null, types };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '0:0:0:0:0:0:0:1']);

/** Host names compared case-insensitively, every loopback spelling as one. */
export function normalHost(host: string): string {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  return LOOPBACK.has(h) ? 'localhost' : h;
}

/**
 * Where a dataset name may sit in a source's catalog, most likely first: the last part is the
 * asset, the parts before it its namespace (with or without a leading database part).
 */
export function catalogCandidates(
  scheme: string,
  name: string,
  database: string | null,
): Array<{ namespace: string; name: string }> {
  if (scheme === 's3' || scheme === 's3a') return [{ namespace: '', name: name.replace(/^\/+/, '') }];
  if (scheme === 'kafka') return [{ namespace: '', name }];
  const parts = name.split('.');
  if (parts.length === 1) return [{ namespace: database ?? '', name }];
  const last = parts[parts.length - 1];
  const before = parts.slice(0, -1);
  const out = [{ namespace: before.join('.'), name: last }];
  // postgres://…/db.schema.table: the database is the source's, the namespace is the schema.
  if (before.length > 1) out.unshift({ namespace: before.slice(1).join('.'), name: last });
  if (before.length > 1 && database && before[0] !== database) out.reverse();
  return out;
}

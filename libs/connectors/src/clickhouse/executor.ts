import { createClient, ClickHouseClient, ClickHouseLogLevel } from '@clickhouse/client';
import { Agent } from 'node:https';
import { isIP } from 'node:net';
import { pinnedLookup } from '../core/guarded-agent';
import { Row } from '../sql-shared/row-values';
import { ClickHouseSettings } from './config';

/**
 * The one seam between the connector and the server: SQL in, rows out (`FORMAT JSONEachRow`
 * over the HTTP interface). No query parameters are used, so it works with servers that predate
 * `query_params`; values reach SQL only through the escapers in `sql-literal.ts`.
 */
export interface ClickHouseExecutor {
  rows(sql: string, signal: AbortSignal): Promise<Row[]>;
  stream(sql: string, signal: AbortSignal): AsyncIterable<Row>;
  close(): Promise<void>;
}

function urlHost(address: string): string {
  return isIP(address) === 6 ? `[${address}]` : address;
}

/**
 * Opens a pooled HTTP client that connects only to the address the policy checked (so a DNS answer
 * cannot change between the check and the connection). Plain HTTP names that address in the URL;
 * HTTPS keeps the host name for SNI and the certificate check, with an agent whose lookup answers
 * the checked address.
 */
export function openHttpExecutor(
  settings: ClickHouseSettings,
  checkedAddress: string,
  sessionDatabase?: string,
): ClickHouseExecutor {
  const host = settings.https ? settings.host : checkedAddress;
  const client: ClickHouseClient = createClient({
    url: `${settings.https ? 'https' : 'http'}://${urlHost(host)}:${settings.port}`,
    username: settings.username,
    password: settings.password,
    request_timeout: settings.timeoutMs,
    max_open_connections: settings.maxConns,
    compression: { request: false, response: false },
    log: { level: ClickHouseLogLevel.OFF },
    application: 'metadata-catalog',
    // Catalog queries name their tables in full; a session database is only set to probe access to it.
    ...(sessionDatabase ? { database: sessionDatabase } : {}),
    ...(settings.https
      ? {
          // A custom agent carries the TLS options itself.
          http_agent: new Agent({
            keepAlive: true,
            maxSockets: settings.maxConns,
            lookup: pinnedLookup([checkedAddress]),
            ...(settings.sslCa ? { ca: settings.sslCa } : {}),
          }),
          set_basic_auth_header: true,
        }
      : {}),
  });

  async function* stream(sql: string, signal: AbortSignal): AsyncIterable<Row> {
    const result = await client.query({ query: sql, format: 'JSONEachRow', abort_signal: signal });
    for await (const rows of result.stream<Row>()) {
      for (const row of rows) yield row.json<Row>();
    }
  }

  return {
    async rows(sql, signal) {
      const result = await client.query({ query: sql, format: 'JSONEachRow', abort_signal: signal });
      return result.json<Row>();
    },
    stream,
    close: () => client.close(),
  };
}

import { runDiagnostics } from '../core/diagnostics';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { AssetProfile, CatalogBatch, CollectOptions, ConnectContext, Connector, TestResult } from '../core/types';
import { amqpLogin, classifyAmqpError } from './amqp';
import { ApiOverview } from './api-types';
import { collectRabbitMq } from './collect';
import { RabbitSettings } from './config';
import { ManagementApi, seg } from './management-api';

/** Objects per management-API page; large brokers list in several requests. */
const PAGE_SIZE = 500;

export class RabbitMqConnector implements Connector {
  private readonly api: ManagementApi;

  constructor(
    private readonly settings: RabbitSettings,
    private readonly context: ConnectContext,
    private readonly pageSize = PAGE_SIZE,
  ) {
    this.api = new ManagementApi(
      settings.managementUrl,
      settings.managementUsername,
      settings.managementPassword,
      settings.timeoutMs,
      context.guardAddress,
    );
  }

  async test(signal: AbortSignal): Promise<TestResult> {
    let address = this.settings.host;
    return runDiagnostics({
      host: this.settings.host,
      port: this.settings.port,
      timeoutMs: this.settings.timeoutMs,
      signal,
      guardAddress: async (host) => {
        const addresses = await this.context.guardAddress(host);
        address = addresses[0];
        return addresses;
      },
      tls: this.settings.ssl ? { mode: 'direct', options: { rejectUnauthorized: true } } : undefined,
      authenticate: () => amqpLogin(this.settings, address),
      readCatalog: async () => {
        const overview = await this.api.get<ApiOverview>('/overview', signal);
        const queues = await this.api.get<{ total_count?: number }>(
          `/queues/${seg(this.settings.vhost)}?page=1&page_size=1&columns=name`,
          signal,
        );
        return `management API ${overview.management_version ?? '?'}: ${queues.total_count ?? 0} queue(s) in vhost "${this.settings.vhost}"`;
      },
      classify: (err) => classifyAmqpError(err),
    });
  }

  collect(options: CollectOptions): AsyncGenerator<CatalogBatch> {
    return collectRabbitMq(this.api, this.pageSize, options);
  }

  async profile(): Promise<AssetProfile> {
    throw new ConnectorError(
      ConnectorErrorCode.Unsupported,
      'RabbitMQ queues are not profiled: reading messages would consume or requeue them',
      'Message counts, rates and consumers are collected with the catalog.',
    );
  }

  async close(): Promise<void> {
    // Every call is a single HTTP request or a short-lived AMQP connection: nothing stays open.
  }
}

import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import {
  AddressGuard,
  ConnectContext,
  Connector,
  ConnectorConfig,
  ConnectorError,
  ConnectorErrorCode,
  ConnectorRegistry,
  createAddressGuard,
  createDefaultRegistry,
  parseCidrList,
  TestResult,
  withDeadline,
  withDefaults,
} from '@app/connectors';
import { SecretCipher } from '../common/crypto/secret-cipher';
import { securityConfig, SecurityConfig } from '../config/configuration';
import { ConfigSecrets } from './config-secrets';
import { DataSourceForRun } from './data-source-for-run';

// Head room over the source's own timeout before a test that ignores its signal is given up.
const TEST_GRACE_MS = 5_000;

interface LiveConnector {
  version: string;
  connector: Connector;
}

/** The connector library inside the service: the registry, the address guard and one pool per data source. */
@Injectable()
export class ConnectorsService implements OnApplicationShutdown {
  readonly registry: ConnectorRegistry = createDefaultRegistry();
  private readonly guard: AddressGuard;
  private readonly live = new Map<string, LiveConnector>();
  private readonly logger = new Logger('Connectors');

  constructor(
    @Inject(securityConfig.KEY) cfg: SecurityConfig,
    private readonly cipher: SecretCipher,
  ) {
    this.guard = createAddressGuard({
      deny: parseCidrList(cfg.connectDenyCidrs),
      allow: parseCidrList(cfg.connectAllowCidrs),
    });
  }

  /** The outbound-address check every connection passes (refuses link-local and metadata addresses). */
  get guardAddress(): AddressGuard {
    return this.guard;
  }

  /** Encryption and masking of a registered type's config. */
  secretsOf(type: string): ConfigSecrets {
    return new ConfigSecrets(this.cipher, this.registry.get(type).configSpec);
  }

  /** The cached connector of a data source; a newer config version closes the older one. */
  acquire(ds: DataSourceForRun): Connector {
    const current = this.live.get(ds.id);
    if (current?.version === ds.version) return current.connector;
    if (current) this.closeQuietly(ds.id, current.connector);
    const def = this.registry.get(ds.type);
    const connector = def.create(withDefaults(def.configSpec, ds.config), this.context(ds.id));
    this.live.set(ds.id, { version: ds.version, connector });
    return connector;
  }

  async release(dataSourceId: string): Promise<void> {
    const current = this.live.get(dataSourceId);
    if (!current) return;
    this.live.delete(dataSourceId);
    await this.closeQuietly(dataSourceId, current.connector);
  }

  /**
   * Tests a config on a connector of its own, closed afterwards. Never throws: every failure,
   * including a refused address or a connector that breaks its contract, is a `success: false` result.
   * `maxTimeoutSeconds` caps the source's `timeout` for this test (runs keep the full timeout).
   */
  async test(
    type: string,
    config: ConnectorConfig,
    signal?: AbortSignal,
    maxTimeoutSeconds?: number,
  ): Promise<TestResult> {
    const started = Date.now();
    let connector: Connector | undefined;
    try {
      const def = this.registry.get(type);
      const full = withDefaults(def.configSpec, config);
      if (maxTimeoutSeconds !== undefined) full.timeout = clampTimeout(full.timeout, maxTimeoutSeconds);
      const timeoutMs = (typeof full.timeout === 'number' ? full.timeout : 30) * 1000;
      const controller = new AbortController();
      const timer = setTimeout(
        () =>
          controller.abort(
            new ConnectorError(ConnectorErrorCode.Timeout, `Connection test timed out after ${timeoutMs} ms`),
          ),
        timeoutMs + TEST_GRACE_MS,
      );
      const onAbort = () => controller.abort(signal?.reason);
      if (signal?.aborted) onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        connector = def.create(full, this.context());
        return await withDeadline(
          connector.test(controller.signal),
          timeoutMs + TEST_GRACE_MS,
          controller.signal,
          'Connection test',
        );
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
    } catch (err) {
      return failedTest(err, Date.now() - started);
    } finally {
      if (connector) await connector.close().catch(() => undefined);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const all = [...this.live.entries()];
    this.live.clear();
    await Promise.all(all.map(([id, l]) => this.closeQuietly(id, l.connector)));
  }

  private context(dataSourceId?: string): ConnectContext {
    return {
      guardAddress: this.guard,
      log: (level, message, meta) =>
        this.logger[level === 'info' ? 'log' : level]({ data_source_id: dataSourceId, ...meta }, message),
    };
  }

  private async closeQuietly(dataSourceId: string, connector: Connector): Promise<void> {
    try {
      await connector.close();
    } catch (err) {
      this.logger.warn({ err, data_source_id: dataSourceId }, 'Closing a connector failed');
    }
  }
}

/** The source's timeout (seconds), at most `max`. */
export function clampTimeout(timeout: unknown, max: number): number {
  return Math.min(typeof timeout === 'number' && timeout > 0 ? timeout : 30, max);
}

/** A test that threw instead of reporting: said the same way as a failed step. */
function failedTest(err: unknown, latency: number): TestResult {
  if (err instanceof ConnectorError) {
    return { success: false, message: err.message, latency, details: err.hint, error_code: err.code, steps: [] };
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    success: false,
    message: `Connection test failed: ${message}`,
    latency,
    error_code: ConnectorErrorCode.Protocol,
    steps: [],
  };
}

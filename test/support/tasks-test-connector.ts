/**
 * A source type for tests of the task runner, injected into one app's connector registry in
 * place of the `hive` type (never shipped in libs/connectors). Its config says how it behaves:
 * - `fast`: one batch of `assets` tables with two columns each;
 * - `block`: one table, then waits until the run's signal aborts (a long collection that honours cancel);
 * - `ignore-signal`: one table, then never returns, whatever the signal (a source stuck on I/O);
 * - `flaky`: fails as UNREACHABLE for the first `fail_times` runs of a data source, then acts as `fast`.
 */
import { INestApplication } from '@nestjs/common';
import {
  AssetProfile,
  CatalogAsset,
  CatalogBatch,
  CollectOptions,
  ConfigField,
  Connector,
  ConnectorConfig,
  ConnectorDefinition,
  ConnectorError,
  ConnectorErrorCode,
  ConnectorRegistry,
  TASK_TYPES,
  TestResult,
} from '@app/connectors';
import { ConnectorsService } from '../../src/connectors/connectors.service';

export const TEST_SOURCE_TYPE = 'hive';

const SPEC: ConfigField[] = [
  {
    name: 'behavior',
    type: 'string',
    required: true,
    secret: false,
    enum: ['fast', 'block', 'ignore-signal', 'flaky'],
    description: 'How the test source behaves',
  },
  {
    name: 'assets',
    type: 'integer',
    required: false,
    default: 3,
    secret: false,
    min: 1,
    max: 100000,
    description: 'Tables it reports',
  },
  {
    name: 'fail_times',
    type: 'integer',
    required: false,
    default: 1,
    secret: false,
    min: 0,
    max: 100,
    description: 'flaky: runs that fail first',
  },
  { name: 'key', type: 'string', required: false, secret: false, description: 'flaky: counter key' },
];

/** Runs started per `key` (flaky sources), visible to the test. */
export const collectCalls = new Map<string, number>();

function asset(i: number): CatalogAsset {
  return {
    namespace: 'ns',
    name: `t${i}`,
    kind: 'table',
    statistics: { rows: 10 },
    fields: [
      { name: 'id', ordinal: 1, dataType: 'integer', nullable: false, primaryKey: true },
      { name: 'label', ordinal: 2, dataType: 'text', nullable: true },
    ],
  };
}

function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

class TestSourceConnector implements Connector {
  constructor(private readonly config: ConnectorConfig) {}

  async test(): Promise<TestResult> {
    return { success: true, message: 'ok', latency: 1, steps: [] };
  }

  collect(options: CollectOptions): AsyncIterable<CatalogBatch> {
    const behavior = String(this.config.behavior);
    const count = Number(this.config.assets ?? 3);
    const key = String(this.config.key ?? 'default');
    const failTimes = Number(this.config.fail_times ?? 1);
    return (async function* () {
      if (behavior === 'flaky') {
        const calls = (collectCalls.get(key) ?? 0) + 1;
        collectCalls.set(key, calls);
        if (calls <= failTimes)
          throw new ConnectorError(
            ConnectorErrorCode.Unreachable,
            `test source unreachable (run ${calls} of ${failTimes} failing)`,
            'Try again',
          );
      }
      if (behavior === 'block' || behavior === 'ignore-signal') {
        options.onProgress?.(1, count);
        yield { namespaces: [{ name: 'ns', kind: 'schema' }], assets: [asset(1)] };
        if (behavior === 'block') await untilAborted(options.signal);
        else await new Promise<never>(() => undefined);
        return;
      }
      yield {
        namespaces: [{ name: 'ns', kind: 'schema' }],
        assets: Array.from({ length: count }, (_, i) => asset(i + 1)),
      };
    })();
  }

  async profile(): Promise<AssetProfile> {
    return {
      row_count: 10,
      sampled: false,
      columns: [{ name: 'id', null_count: 0, null_ratio: 0, distinct_count: 10, distinct_ratio: 1 }],
    };
  }

  async close(): Promise<void> {}
}

export const testSourceDefinition: ConnectorDefinition = {
  type: TEST_SOURCE_TYPE,
  displayName: 'Test source',
  configSpec: SPEC,
  capabilities: { taskTypes: TASK_TYPES, incremental: 'fingerprint', profile: ['row_count'] },
  create: (config) => new TestSourceConnector(config),
};

/** Puts the test source into this app's registry (through its ConnectorsService). */
export function injectTestSource(app: INestApplication): void {
  const connectors = app.get(ConnectorsService);
  const registry = new ConnectorRegistry([
    ...connectors.registry.list().filter((d) => d.type !== TEST_SOURCE_TYPE),
    testSourceDefinition,
  ]);
  Object.defineProperty(connectors, 'registry', { value: registry, writable: true, configurable: true });
}

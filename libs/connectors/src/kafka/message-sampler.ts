/**
 * Reads the last N messages of each partition of a topic without joining a consumer group (no
 * group, no committed offsets, nothing visible on the cluster): one Fetch per leader broker from
 * `high - N`, bounded in bytes and time. kafkajs keeps its group-less fetch path (the Cluster and
 * Broker classes its consumer uses) out of its typed API, so the few calls used are typed here.
 */
import type { KafkaConfig } from 'kafkajs';
import { logLevel as LogLevel } from 'kafkajs';
import { SampleSettings } from './config';
import { PartitionOffsets } from './topics';

export interface SampledMessage {
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
}

export interface TopicSample {
  messages: SampledMessage[];
  bytes: number;
  /** True when the byte cap or the timeout ended the read before N per partition were in. */
  truncated: boolean;
}

interface FetchedPartition {
  partition: number;
  errorCode: number;
  messages: Array<{ offset: string; key: Buffer | null; value: Buffer | null; isControlRecord?: boolean }>;
}
interface FetchBroker {
  fetch(request: {
    replicaId: number;
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: Array<{ topic: string; partitions: Array<{ partition: number; fetchOffset: string; maxBytes: number }> }>;
  }): Promise<{ responses: Array<{ topicName: string; partitions: FetchedPartition[] }> }>;
}
interface FetchCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  findTopicPartitionMetadata(topic: string): Array<{ partitionId: number; leader: number }>;
  findBroker(args: { nodeId: number }): Promise<FetchBroker>;
}
type ClusterClass = new (options: Record<string, unknown>) => FetchCluster;
type LoggerFactory = (options: { level: number; logCreator: KafkaConfig['logCreator'] }) => unknown;

const READ_COMMITTED = 1;

/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs's group-less fetch classes are only reachable by path */
const Cluster = require('kafkajs/src/cluster') as ClusterClass;
const { createLogger } = require('kafkajs/src/loggers') as { createLogger: LoggerFactory };
/* eslint-enable @typescript-eslint/no-require-imports */

export class MessageSampler {
  private cluster?: Promise<FetchCluster>;

  constructor(
    private readonly config: KafkaConfig,
    private readonly settings: SampleSettings,
  ) {}

  private connected(): Promise<FetchCluster> {
    if (!this.cluster) {
      const cluster = new Cluster({
        logger: createLogger({ level: this.config.logLevel ?? LogLevel.WARN, logCreator: this.config.logCreator }),
        socketFactory: this.config.socketFactory,
        brokers: this.config.brokers,
        ssl: this.config.ssl,
        sasl: this.config.sasl,
        clientId: this.config.clientId,
        connectionTimeout: this.config.connectionTimeout,
        authenticationTimeout: this.config.authenticationTimeout,
        requestTimeout: this.config.requestTimeout,
        retry: this.config.retry,
        allowAutoTopicCreation: false,
        isolationLevel: READ_COMMITTED,
      });
      this.cluster = cluster.connect().then(() => cluster);
      this.cluster.catch(() => (this.cluster = undefined));
    }
    return this.cluster;
  }

  /** The last messages of each partition (from `offsets`, read just before). */
  async sample(topic: string, offsets: readonly PartitionOffsets[], signal: AbortSignal): Promise<TopicSample> {
    const n = this.settings.messagesPerPartition;
    const wanted = offsets
      .map((o) => ({
        partition: o.partition,
        from: maxBig(BigInt(o.low), BigInt(o.high) - BigInt(n)),
        high: BigInt(o.high),
      }))
      .filter((p) => p.high > p.from);
    const sample: TopicSample = { messages: [], bytes: 0, truncated: false };
    if (n === 0 || wanted.length === 0) return sample;
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(this.settings.timeoutMs)]);
    const cluster = await this.connected();
    await cluster.addTargetTopic(topic);
    const leaders = new Map(cluster.findTopicPartitionMetadata(topic).map((p) => [p.partitionId, p.leader]));
    const byLeader = new Map<number, typeof wanted>();
    for (const p of wanted) {
      const leader = leaders.get(p.partition);
      if (leader === undefined || leader < 0) continue;
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), p]);
    }
    const perPartitionBytes = Math.max(1024, Math.floor(this.settings.maxBytes / wanted.length));
    for (const [leader, partitions] of byLeader) {
      const broker = await cluster.findBroker({ nodeId: leader });
      // A broker may answer with fewer batches than asked for: fetch again from where it stopped.
      const next = new Map(partitions.map((p) => [p.partition, p.from]));
      while (next.size > 0) {
        if (deadline.aborted || sample.bytes >= this.settings.maxBytes) {
          sample.truncated = true;
          return sample;
        }
        const response = await abortable(
          broker.fetch({
            replicaId: -1,
            isolationLevel: READ_COMMITTED,
            maxWaitTime: 100,
            minBytes: 1,
            maxBytes: this.settings.maxBytes - sample.bytes,
            topics: [
              {
                topic,
                partitions: [...next].map(([partition, from]) => ({
                  partition,
                  fetchOffset: from.toString(),
                  maxBytes: perPartitionBytes,
                })),
              },
            ],
          }),
          deadline,
        );
        if (!response) {
          sample.truncated = true;
          return sample;
        }
        let progressed = false;
        for (const part of response.responses.flatMap((r) => r.partitions)) {
          const from = next.get(part.partition);
          const window = partitions.find((p) => p.partition === part.partition);
          if (from === undefined || !window) continue;
          const fresh = part.messages.filter((m) => BigInt(m.offset) >= from && BigInt(m.offset) < window.high);
          if (fresh.length === 0) {
            // Nothing more (compacted away, or an error code): this partition is done.
            next.delete(part.partition);
            if (part.errorCode !== 0) sample.truncated = true;
            continue;
          }
          progressed = true;
          for (const m of fresh) {
            if (m.isControlRecord) continue;
            sample.bytes += (m.key?.length ?? 0) + (m.value?.length ?? 0);
            sample.messages.push({ partition: part.partition, offset: m.offset, key: m.key, value: m.value });
          }
          const last = BigInt(fresh[fresh.length - 1].offset) + 1n;
          if (last >= window.high) next.delete(part.partition);
          else next.set(part.partition, last);
        }
        if (!progressed) break;
      }
    }
    // Partitions answer in any order: a fixed order keeps inferred fields the same from run to run.
    sample.messages.sort((a, b) => a.partition - b.partition || compareOffsets(a.offset, b.offset));
    return sample;
  }

  async close(): Promise<void> {
    const cluster = this.cluster;
    this.cluster = undefined;
    if (cluster) await (await cluster.catch(() => undefined))?.disconnect().catch(() => undefined);
  }
}

const maxBig = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const compareOffsets = (a: string, b: string): number => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

/** The promise's value, or undefined once the signal fires first. */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

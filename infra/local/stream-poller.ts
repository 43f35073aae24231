/**
 * The local event source mapping: reads a DynamoDB Local table's stream, applies the manifest's filter, and hands
 * batches to the consumer function in order, as Lambda does: a reported batch item failure is retried from that
 * record (ordered), and after the last retry the records go to an on-failure file (the local stand-in of the DLQ).
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { tableSpec, type StreamSourceSpec } from '../../shared/manifest/manifest.ts';

export interface StreamPollerOptions {
  readonly endpoint: string;
  readonly streamArn: string;
  readonly source: StreamSourceSpec;
  readonly consume: (event: { Records: unknown[] }) => Promise<DynamoDBBatchResponse | void>;
  /** Where the last processed sequence number per shard is kept across restarts. */
  readonly checkpointFile?: string;
  readonly failureFile?: string;
  readonly idlePollMs?: number;
  readonly onError?: (error: unknown) => void;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function matches(record: _Record, source: StreamSourceSpec): boolean {
  if (!record.eventName || !source.eventNames.includes(record.eventName)) return false;
  const image = record.dynamodb?.NewImage;
  if (!image) return false;
  return Object.entries(source.newImageEquals).every(([k, v]) => image[k]?.S === v);
}

type Attribute = Record<string, unknown>;

/**
 * The SDK's DynamoDB Streams deserializer turns an empty map ({"M":{}}) into {} (no member set), which unmarshall
 * then refuses; Lambda receives the stream's JSON as is. An attribute value without a member can only have been an
 * empty map (empty lists and sets survive), so it is put back.
 */
function repairImage(image: Record<string, Attribute> | undefined): Record<string, Attribute> | undefined {
  if (!image) return image;
  const repair = (value: Attribute): Attribute => {
    if (Object.keys(value).length === 0) return { M: {} };
    if (value.M) return { M: Object.fromEntries(Object.entries(value.M as Record<string, Attribute>).map(([k, v]) => [k, repair(v)])) };
    if (value.L) return { L: (value.L as Attribute[]).map(repair) };
    return value;
  };
  return Object.fromEntries(Object.entries(image).map(([k, v]) => [k, repair(v)]));
}

function toLambdaRecord(record: _Record, streamArn: string) {
  const d = record.dynamodb!;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: streamArn,
    dynamodb: {
      ApproximateCreationDateTime: d.ApproximateCreationDateTime ? Math.floor(new Date(d.ApproximateCreationDateTime).getTime() / 1000) : undefined,
      Keys: d.Keys,
      NewImage: repairImage(d.NewImage as Record<string, Attribute> | undefined),
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType,
    },
  };
}

export class StreamPoller {
  private readonly client: DynamoDBStreamsClient;
  private readonly iterators = new Map<string, string | undefined>();
  private checkpoints: Record<string, string> = {};
  private running = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private poked = false;
  private readonly lanes = new Map<number, Promise<void>>();
  private readonly partitionKey: string;

  constructor(private readonly options: StreamPollerOptions) {
    this.partitionKey = tableSpec(options.source.table).partitionKey;
    this.client = new DynamoDBStreamsClient({ endpoint: options.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    if (options.checkpointFile && existsSync(options.checkpointFile)) this.checkpoints = JSON.parse(readFileSync(options.checkpointFile, 'utf8')) as Record<string, string>;
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** New records are likely (a message was just stored): read now instead of at the next idle poll. */
  poke(): void {
    this.poked = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.drained();
    this.client.destroy();
  }

  private async refreshShards(): Promise<void> {
    const description = await this.client.send(new DescribeStreamCommand({ StreamArn: this.options.streamArn }));
    for (const shard of description.StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId!;
      if (this.iterators.has(shardId)) continue;
      const after = this.checkpoints[shardId];
      const res = await this.client.send(
        new GetShardIteratorCommand({
          StreamArn: this.options.streamArn,
          ShardId: shardId,
          ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
      this.iterators.set(shardId, res.ShardIterator);
    }
  }

  private checkpoint(shardId: string, sequenceNumber: string | undefined): void {
    if (!sequenceNumber) return;
    // Lanes finish out of order: the checkpoint only ever moves forward.
    const current = this.checkpoints[shardId];
    if (current !== undefined && BigInt(current) >= BigInt(sequenceNumber)) return;
    this.checkpoints[shardId] = sequenceNumber;
    if (this.options.checkpointFile) writeFileSync(this.options.checkpointFile, JSON.stringify(this.checkpoints));
  }

  private async run(): Promise<void> {
    let lastRefresh = 0;
    while (this.running) {
      let sawRecords = false;
      try {
        if (Date.now() - lastRefresh > 5000 || this.iterators.size === 0) {
          await this.refreshShards();
          lastRefresh = Date.now();
        }
        const poked = this.poked;
        this.poked = false;
        // Just after a write the record may not be readable yet: a poke re-reads a few times before idling.
        for (let attempt = 0; attempt < (poked ? 4 : 1) && !sawRecords; attempt++) {
          if (attempt > 0) await new Promise((r) => setTimeout(r, 3));
          for (const [shardId, iterator] of this.iterators) {
            if (!iterator) continue;
            const res = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));
            this.iterators.set(shardId, res.NextShardIterator);
            const records = res.Records ?? [];
            if (records.length === 0) continue;
            sawRecords = true;
            this.deliver(shardId, records);
          }
        }
      } catch (error) {
        // DynamoDB Local answers TrimmedDataAccessException for a TRIM_HORIZON iterator taken on a still empty
        // shard; a fresh iterator reads on normally.
        if ((error as { name?: string }).name !== 'TrimmedDataAccessException') this.options.onError?.(error);
        this.iterators.clear();
        await new Promise((r) => setTimeout(r, 50));
      }
      if (!sawRecords && !this.poked && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.idlePollMs ?? 250);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }

  /**
   * Lambda's parallelization factor, locally: matching records are spread over lanes by partition key, so one
   * conversation's records stay in one lane and in order; each lane handles one batch at a time while the poller
   * keeps reading and the other lanes proceed. The checkpoint moves once everything read so far is handled.
   */
  private deliver(shardId: string, records: _Record[]): void {
    const byLane = new Map<number, _Record[]>();
    for (const record of records) {
      if (!matches(record, this.options.source)) continue;
      const lane = hash(JSON.stringify(record.dynamodb?.Keys?.[this.partitionKey])) % Math.max(1, this.options.source.parallelization);
      byLane.set(lane, [...(byLane.get(lane) ?? []), record]);
    }
    for (const [lane, laneRecords] of byLane) {
      const previous = this.lanes.get(lane) ?? Promise.resolve();
      this.lanes.set(
        lane,
        previous
          .then(async () => {
            for (let i = 0; i < laneRecords.length; i += this.options.source.batchSize) {
              await this.deliverBatch(laneRecords.slice(i, i + this.options.source.batchSize));
            }
          })
          .catch((error: unknown) => this.options.onError?.(error)),
      );
    }
    const last = records.at(-1)?.dynamodb?.SequenceNumber;
    void Promise.all(this.lanes.values()).then(() => this.checkpoint(shardId, last));
  }

  /** Resolves once every record read so far has been handled (or dead-lettered). */
  async drained(): Promise<void> {
    await Promise.all(this.lanes.values());
  }

  private async deliverBatch(batch: _Record[]): Promise<void> {
    let remaining = batch;
    const maxAttempts = this.options.source.retryAttempts + 1;
    for (let attempt = 1; remaining.length > 0; attempt++) {
      let failedFrom = -1;
      try {
        const response = await this.options.consume({ Records: remaining.map((r) => toLambdaRecord(r, this.options.streamArn)) });
        const failure = response?.batchItemFailures?.[0]?.itemIdentifier;
        if (failure !== undefined) failedFrom = Math.max(0, remaining.findIndex((r) => r.dynamodb?.SequenceNumber === failure));
      } catch (error) {
        this.options.onError?.(error);
        failedFrom = 0;
      }
      if (failedFrom < 0) return;
      remaining = remaining.slice(failedFrom);
      if (attempt >= maxAttempts) {
        if (this.options.failureFile) {
          for (const r of remaining) appendFileSync(this.options.failureFile, `${JSON.stringify({ failedAt: new Date().toISOString(), record: toLambdaRecord(r, this.options.streamArn) })}\n`);
        }
        this.options.onError?.(new Error(`${remaining.length} stream record(s) failed ${maxAttempts} times and went to the on-failure destination`));
        return;
      }
      await new Promise((r) => setTimeout(r, Math.min(4000, 250 * 2 ** attempt)));
    }
  }
}

/**
 * The local stand-in for the CloudWatch Logs subscription that feeds the cost ledger in AWS: every function's cost
 * records (what the cost meter would write to its log) are collected and sent to the cost-ledger function every
 * 250 ms as the same `awslogs` event (gzip, base64) a subscription delivers. One batch at a time; a failed batch is
 * sent again (the ledger is idempotent on the batch), so the ledger sees what it would see in AWS.
 */
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { CostRecord, CostSink } from '../../shared/observability/cost-meter.ts';

const MAX_PENDING = 50_000;

export class LocalCostBatcher implements CostSink {
  private pending: { id: string; timestamp: number; message: string }[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly deliver: (event: { awslogs: { data: string } }) => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
    private readonly intervalMs = 250,
    private readonly maxBatch = 500,
  ) {}

  start(): this {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref?.();
    return this;
  }

  emit(record: CostRecord): void {
    if (this.pending.length >= MAX_PENDING) {
      this.pending.shift();
      this.onError(new Error(`more than ${MAX_PENDING} cost records waiting for the ledger: the oldest was dropped`));
    }
    this.pending.push({ id: randomUUID(), timestamp: Date.now(), message: JSON.stringify(record) });
  }

  /** Sends what is pending (one batch at a time); resolves when the ledger has it. */
  flush(): Promise<void> {
    this.flushing ??= this.send().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    if (this.pending.length) await this.flush();
  }

  private async send(): Promise<void> {
    while (this.pending.length) {
      const batch = this.pending.slice(0, this.maxBatch);
      const payload = { messageType: 'DATA_MESSAGE', owner: 'local', logGroup: '/aws/lambda/kefu-local', logStream: 'local', subscriptionFilters: ['kefu-cost'], logEvents: batch };
      const data = (await promisify(gzip)(Buffer.from(JSON.stringify(payload)))).toString('base64');
      try {
        await this.deliver({ awslogs: { data } });
        this.pending.splice(0, batch.length);
      } catch (error) {
        this.onError(error);
        return;
      }
    }
  }
}

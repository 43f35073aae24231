/**
 * The cost meter: concurrent invocations in one process keep their own usage (AsyncLocalStorage), code below a
 * handler adds to the invocation it serves, a failing handler is still metered and still fails, a broken sink never
 * breaks the handler, and the ledger reads records back out of log lines.
 */
import { describe, expect, it } from 'vitest';
import { costRecordsOf } from '../../shared/application/cost-ledger.use-cases.ts';
import { meter, metered, setCostSink, type CostRecord } from '../../shared/observability/cost-meter.ts';

const context = (id: string) => ({ awsRequestId: id, memoryLimitInMB: '256' });

describe('the cost meter', () => {
  it('keeps the usage of concurrent invocations apart', async () => {
    const records: CostRecord[] = [];
    setCostSink({ emit: (r) => void records.push(r) });
    try {
      const handler = metered('bot-answer', 'task', async (event: { units: number; conversationId: string }) => {
        meter.attribute(event.conversationId);
        for (let i = 0; i < event.units; i++) {
          await new Promise((r) => setTimeout(r, 1));
          meter.dynamodb(0.5, 1);
        }
        meter.bedrock('amazon.nova-micro-v1:0', event.units * 100, 10);
        return event.units;
      });
      const results = await Promise.all([handler({ units: 3, conversationId: 'conv_a' }, context('r1')), handler({ units: 5, conversationId: 'conv_b' }, context('r2'))]);
      expect(results).toEqual([3, 5]);
      const a = records.find((r) => r.requestId === 'r1')!;
      const b = records.find((r) => r.requestId === 'r2')!;
      expect(a).toMatchObject({ functionId: 'bot-answer', capability: 'bot-answer', kind: 'task', conversationId: 'conv_a', outcome: 'ok' });
      expect(a.usage.dynamodb).toEqual({ readUnits: 1.5, writeUnits: 3 });
      expect(b.usage.dynamodb).toEqual({ readUnits: 2.5, writeUnits: 5 });
      expect(b.usage.bedrock).toEqual([{ modelId: 'amazon.nova-micro-v1:0', inputTokens: 500, outputTokens: 10 }]);
      expect(a.usage.lambda).toMatchObject({ requests: 1, memoryMb: 256, architecture: 'arm64' });
      // Three 1 ms timers: measured, though timers may fire a hair early by performance.now().
      expect(a.usage.lambda.durationMs).toBeGreaterThan(2);
      expect(b.usage.lambda.durationMs).toBeGreaterThan(a.usage.lambda.durationMs);
      // Nothing outside an invocation is counted anywhere.
      meter.dynamodb(100, 100);
      expect(records.every((r) => r.usage.dynamodb.readUnits < 100)).toBe(true);
    } finally {
      setCostSink(undefined);
    }
  });

  it('meters a failing invocation and rethrows; a throwing sink changes nothing', async () => {
    const records: CostRecord[] = [];
    setCostSink({ emit: (r) => void records.push(r) });
    try {
      const failing = metered('routing', 'task', async () => {
        meter.dynamodb(1, 0);
        throw new Error('boom');
      });
      await expect(failing({}, context('r3'))).rejects.toThrow('boom');
      expect(records.find((r) => r.requestId === 'r3')).toMatchObject({ outcome: 'error', usage: { dynamodb: { readUnits: 1, writeUnits: 0 } } });
      setCostSink({
        emit: () => {
          throw new Error('sink down');
        },
      });
      await expect(metered('routing', 'task', async () => 'fine')({}, context('r4'))).resolves.toBe('fine');
    } finally {
      setCostSink(undefined);
    }
  });

  it('attributes a batch that serves several conversations to none of them', async () => {
    const records: CostRecord[] = [];
    setCostSink({ emit: (r) => void records.push(r) });
    try {
      await metered('message-intake', 'stream', async () => {
        meter.attribute('conv_a', 'webchat');
        meter.attribute('conv_b', 'webchat');
        meter.attribute('conv_a');
      })({}, context('r5'));
      expect(records[0]!.conversationId).toBeUndefined();
      expect(records[0]!.capability).toBe('intake');
    } finally {
      setCostSink(undefined);
    }
  });

  it('reads records out of log lines and skips everything else', () => {
    const record = { kefu: 'cost', v: 1, requestId: 'x', functionId: 'webchat', usage: { lambda: { requests: 1 } } };
    const lines = ['2026-11-23T00:00:00Z\tabc\tINFO\t' + JSON.stringify(record), '{"level":"INFO","message":"hello"}', '{"kefu":"cost","requestId":', JSON.stringify({ ...record, requestId: 'y' })];
    expect(costRecordsOf(lines).map((r) => r.requestId)).toEqual(['x', 'y']);
  });
});

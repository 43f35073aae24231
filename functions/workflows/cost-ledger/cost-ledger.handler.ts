/**
 * The cost ledger: receives every function's cost records in batches (in AWS a CloudWatch Logs subscription filter on
 * each function's log group, `{ $.kefu = "cost" }`; locally the runtime's batcher sends the same `awslogs` events),
 * prices them with the price table of their day, writes one line per invocation (idempotent on its request id) and
 * adds the batch to the daily aggregates once (a batch marker: Lambda's retry of the same batch adds nothing), then
 * publishes today's total as the `CostToday` metric and checks the budgets.
 *
 * Its own invocations are not in its log's subscription (that would loop): it keeps its own record and writes it with
 * the next batch it receives.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { CloudWatchLogsEvent } from 'aws-lambda';
import { costRecordsOf, makeRecordCosts, NANOS, pricer } from '../../../shared/application/cost-ledger.use-cases.ts';
import { AGENTS_AUDIENCE } from '../../../shared/application/conversation.use-cases.ts';
import { liveUpdates } from '../../../shared/adapters/wiring/live-updates.ts';
import { clock, conversationStore, costLedger } from '../../../shared/adapters/wiring/storage.ts';
import { costSettings, reportTimeZone } from '../../../shared/config/runtime-config.ts';
import { dayOf } from '../../../shared/domain/analytics/conversation-analytics.ts';
import { parsePriceOverrides } from '../../../shared/domain/costs/prices.ts';
import { setCostSinkFor, type CostRecord } from '../../../shared/observability/cost-meter.ts';
import { logger, metrics, rawFunction } from '../../../shared/observability/handler-kit.ts';

const own: CostRecord[] = [];
setCostSinkFor('cost-ledger', { emit: (record) => void own.push(record) });

const settings = costSettings();
const prices = pricer({ region: settings.region, overrides: parsePriceOverrides(settings.overridesJson) });

async function messagesOf(event: CloudWatchLogsEvent): Promise<{ ids: string[]; messages: string[] }> {
  const json = (await promisify(gunzip)(Buffer.from(event.awslogs.data, 'base64'))).toString('utf8');
  const data = JSON.parse(json) as { messageType?: string; logEvents?: { id: string; message: string }[] };
  // CONTROL_MESSAGE: the subscription checking that the destination is reachable.
  if (data.messageType !== 'DATA_MESSAGE') return { ids: [], messages: [] };
  const events = data.logEvents ?? [];
  return { ids: events.map((e) => e.id), messages: events.map((e) => e.message) };
}

export const handler = rawFunction<CloudWatchLogsEvent, { lines: number; aggregates: string }>('cost-ledger', 'stream', async (event) => {
  const { ids, messages } = await messagesOf(event);
  const mine = own.splice(0);
  // The delivered batch is aggregated once under the hash of its log event ids (a retry carries the same ids); the
  // ledger's own earlier invocations separately, under their request ids.
  const batchId = (keys: readonly string[]) => createHash('sha256').update(keys.join(',')).digest('hex').slice(0, 32);
  const record = makeRecordCosts({
    ledger: costLedger(),
    conversations: async (conversationIds) => {
      const found = await Promise.all(conversationIds.map((id) => conversationStore().get(id)));
      return new Map(found.filter((c) => c !== undefined).map((c) => [c.id, { channel: c.channel, handedOff: c.handoffs > 0 }]));
    },
    prices,
    timeZone: reportTimeZone(),
    retentionDays: settings.retentionDays,
    clock,
    budget: settings.budget,
    onBudgetExceeded: async (state) => {
      logger.warn('cost budget exceeded', { ...state });
      await liveUpdates().publish(AGENTS_AUDIENCE, { type: 'budget.exceeded', reason: state.reason ?? 'daily', todayUsd: state.todayNanos / NANOS, monthUsd: state.monthNanos / NANOS });
    },
  });
  try {
    const result = await record(costRecordsOf(messages), batchId(ids));
    if (mine.length) await record(mine, `self-${batchId(mine.map((r) => r.requestId))}`);
    const today = await costLedger().total(dayOf(clock.now().toISOString(), reportTimeZone()));
    metrics.addMetric('CostToday', MetricUnit.NoUnit, today / NANOS);
    return result;
  } catch (error) {
    // Lambda retries the batch (asynchronous invocation): nothing is lost, nothing is counted twice.
    own.unshift(...mine);
    throw error;
  }
});

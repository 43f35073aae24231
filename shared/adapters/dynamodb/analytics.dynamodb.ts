/**
 * AnalyticsStore on DynamoDB, in the analytics table:
 *
 *   pk = "m#<YYYY-MM>", sk = "<YYYY-MM-DD>#<metric>#<dimension>"   a daily counter: n (count), s (sum), h0…h7 (histogram)
 *   pk = "f#<conversationId>", sk = "<fact id>"                  a fact already counted (expires after FACT_TTL_DAYS)
 *
 *   - the counters of a period     Query(pk = month, sk between "<from>#" and "<to>#~"), one per month touched
 *   - record a fact once           TransactWrite: Put the fact marker if absent + ADD to each of its counters
 *
 * A redelivered stream record finds its marker and adds nothing. Every write of a month lands on one partition key,
 * which DynamoDB serves at up to 1,000 write units a second (a fact is a transaction of 2–4 items: about 100 facts a
 * second sustained, far above a contact centre's rate of conversation events).
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BUCKET_COUNT, type AnalyticsFact, type DailyCounter, type MetricId } from '../../domain/analytics/conversation-analytics.ts';
import type { AnalyticsStore } from '../../ports/analytics.ts';
import { dailyItems } from './daily-partitions.ts';

/** Longer than a stream record can be redelivered (24 h retention) with margin. */
const FACT_TTL_DAYS = 3;


export class DynamoDbAnalyticsStore implements AnalyticsStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async record(fact: AnalyticsFact): Promise<'recorded' | 'duplicate'> {
    const expiresAt = Math.floor(this.now().getTime() / 1000) + FACT_TTL_DAYS * 86_400;
    const counters = new Map<string, (typeof fact.counters)[number]>();
    // One transaction may touch an item once: counters of the same metric and dimension are merged first.
    for (const c of fact.counters) {
      const key = `${c.metric}#${c.dimension}`;
      const prior = counters.get(key);
      counters.set(key, prior ? { ...c, count: prior.count + c.count, sum: (prior.sum ?? 0) + (c.sum ?? 0) } : c);
    }
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { pk: `f#${fact.conversationId}`, sk: fact.id, day: fact.day, expiresAt },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...[...counters.values()].map((c) => ({
              Update: {
                TableName: this.table,
                Key: { pk: `m#${fact.day.slice(0, 7)}`, sk: `${fact.day}#${c.metric}#${c.dimension}` },
                UpdateExpression: `SET #day = :day, #metric = :metric, #dimension = :dimension ADD #n :n, #s :s${c.bucket !== undefined ? `, #h :one` : ''}`,
                ExpressionAttributeNames: { '#day': 'day', '#metric': 'metric', '#dimension': 'dimension', '#n': 'n', '#s': 's', ...(c.bucket !== undefined ? { '#h': `h${c.bucket}` } : {}) },
                ExpressionAttributeValues: { ':day': fact.day, ':metric': c.metric, ':dimension': c.dimension, ':n': c.count, ':s': c.sum ?? 0, ...(c.bucket !== undefined ? { ':one': 1 } : {}) },
              },
            })),
          ],
        }),
      );
      return 'recorded';
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return 'duplicate';
      throw error;
    }
  }

  async counters(from: string, to: string): Promise<DailyCounter[]> {
    const items = await dailyItems(this.client, this.table, 'm#', from, to);
    return items.map((item) => ({
      day: String(item.day),
      metric: item.metric as MetricId,
      dimension: String(item.dimension),
      count: Number(item.n ?? 0),
      sum: Number(item.s ?? 0),
      buckets: Array.from({ length: BUCKET_COUNT }, (_, i) => Number(item[`h${i}`] ?? 0)),
    }));
  }
}

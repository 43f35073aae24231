/**
 * The cost ledger on DynamoDB, in the costs table:
 *
 *   pk = "c#<conversationId>" | "u#<day>", sk = "<time>#<requestId>"   one line per invocation (expires after the retention)
 *   pk = "d#<YYYY-MM>", sk = "<day>#<dimension>#<value>"               daily aggregates: n (invocations), nanos (US$ × 1e9)
 *   pk = "m#<YYYY-MM>", sk = "<day>"                                    a month's running total per day (budget reads)
 *   pk = "b#<batchId>", sk = "batch"                                     a batch already aggregated (expires after 3 days)
 *   pk = "budget", sk = "state"                                          the budget state the bot reads
 *
 *   - a conversation's lines, in time order            Query(pk = "c#<id>")
 *   - a period's aggregates                            Query(pk = month, sk between "<from>#" and "<to>#~"), per month
 *   - a batch's aggregates, once                       TransactWrite: the batch marker (if absent) + ADDs, ≤ 100 items
 * A batch redelivered by Lambda's retry finds its marker and adds nothing; its lines are rewritten as they were.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AggregateRow, BudgetState, CostLedgerStore, LedgerLine } from '../../ports/costs.ts';
import { dailyItems } from './daily-partitions.ts';

const BATCH_TTL_SECONDS = 3 * 86_400;
const MAX_TRANSACTION = 100;

export const costKeys = {
  line: (line: Pick<LedgerLine, 'conversationId' | 'day' | 'at' | 'requestId'>) => ({ pk: line.conversationId ? `c#${line.conversationId}` : `u#${line.day}`, sk: `${line.at}#${line.requestId}` }),
  aggregate: (row: Pick<AggregateRow, 'day' | 'dimension' | 'value'>) => ({ pk: `d#${row.day.slice(0, 7)}`, sk: `${row.day}#${row.dimension}#${row.value}` }),
};


export class DynamoDbCostLedger implements CostLedgerStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async putLines(lines: readonly LedgerLine[], expiresAt: number): Promise<void> {
    for (let i = 0; i < lines.length; i += 25) {
      let requests = lines.slice(i, i + 25).map((line) => ({ PutRequest: { Item: { ...costKeys.line(line), ...line, expiresAt } } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        const res = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests } }));
        requests = (res.UnprocessedItems?.[this.table] ?? []) as typeof requests;
        if (requests.length && attempt >= 5) throw new Error(`${requests.length} ledger lines unprocessed after retries`);
        if (requests.length) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
  }

  async addAggregates(batchId: string, increments: readonly AggregateRow[]): Promise<'added' | 'duplicate'> {
    const expiresAt = Math.floor(this.now().getTime() / 1000) + BATCH_TTL_SECONDS;
    const parts: AggregateRow[][] = [];
    for (let i = 0; i < increments.length; i += MAX_TRANSACTION - 1) parts.push(increments.slice(i, i + MAX_TRANSACTION - 1));
    let added = false;
    for (const [index, part] of parts.entries()) {
      try {
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: this.table, Item: { pk: `b#${batchId}#${index}`, sk: 'batch', expiresAt }, ConditionExpression: 'attribute_not_exists(pk)' } },
              ...part.map((row) => ({
                Update: {
                  TableName: this.table,
                  Key: costKeys.aggregate(row),
                  UpdateExpression: 'SET #day = :day, #dimension = :dimension, #value = :value ADD #nanos :nanos, #n :n',
                  ExpressionAttributeNames: { '#day': 'day', '#dimension': 'dimension', '#value': 'value', '#nanos': 'nanos', '#n': 'n' },
                  ExpressionAttributeValues: { ':day': row.day, ':dimension': row.dimension, ':value': row.value, ':nanos': row.nanos, ':n': row.count },
                },
              })),
            ],
          }),
        );
        added = true;
      } catch (error) {
        if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') continue;
        throw error;
      }
    }
    return added ? 'added' : 'duplicate';
  }

  async linesOf(conversationId: string): Promise<LedgerLine[]> {
    const lines: LedgerLine[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `c#${conversationId}` }, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
      );
      for (const item of page.Items ?? []) {
        const { pk, sk, expiresAt, ...line } = item;
        void [pk, sk, expiresAt];
        lines.push(line as LedgerLine);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return lines;
  }

  async aggregates(from: string, to: string): Promise<AggregateRow[]> {
    const items = await dailyItems(this.client, this.table, 'd#', from, to);
    return items.map((item) => ({ day: String(item.day), dimension: String(item.dimension), value: String(item.value), nanos: Number(item.nanos ?? 0), count: Number(item.n ?? 0) }));
  }

  async total(day: string): Promise<number> {
    const res = await this.client.send(new GetCommand({ TableName: this.table, Key: costKeys.aggregate({ day, dimension: 'total', value: 'all' }), ConsistentRead: true }));
    return Number(res.Item?.nanos ?? 0);
  }

  async monthTotal(month: string): Promise<number> {
    const rows = await this.aggregates(`${month}-01`, `${month}-31`);
    return rows.filter((r) => r.dimension === 'total').reduce((n, r) => n + r.nanos, 0);
  }

  async budget(): Promise<BudgetState | undefined> {
    const res = await this.client.send(new GetCommand({ TableName: this.table, Key: { pk: 'budget', sk: 'state' } }));
    if (!res.Item) return undefined;
    const { pk, sk, ...state } = res.Item;
    void [pk, sk];
    return state as BudgetState;
  }

  async setBudget(state: BudgetState): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.table, Item: { pk: 'budget', sk: 'state', ...state } }));
  }
}

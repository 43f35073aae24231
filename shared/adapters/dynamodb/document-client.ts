/**
 * The DynamoDB document client, created once per process and shared (Powertools' commons/clients habit). Locally an
 * endpoint override points it at DynamoDB Local.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { COMMON_ENV } from '../../manifest/manifest.ts';
import { optionalEnv } from '../../config/runtime-config.ts';
import { meter } from '../../observability/cost-meter.ts';

let documentClient: DynamoDBDocumentClient | undefined;

const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand']);
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

type Consumed = { CapacityUnits?: number } | readonly { CapacityUnits?: number }[] | undefined;
const unitsOf = (consumed: Consumed) => (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce((n: number, c: { CapacityUnits?: number }) => n + (c.CapacityUnits ?? 0), 0);

/**
 * Asks every data-plane call for its consumed capacity and adds it to the invocation's cost meter: one middleware on
 * the shared client, so no call site can forget. On-demand tables bill these units as request units. A write refused
 * by its condition is billed too but reports nothing: counted as 1 write unit per item it named (2 in a transaction).
 */
export function meterConsumedCapacity(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = (context as { commandName?: string }).commandName ?? '';
      const read = READS.has(command);
      if (!read && !WRITES.has(command)) return next(args);
      const input = args.input as { ReturnConsumedCapacity?: string; TransactItems?: readonly unknown[] };
      input.ReturnConsumedCapacity ??= 'TOTAL';
      try {
        const result = await next(args);
        const units = unitsOf((result.output as { ConsumedCapacity?: Consumed }).ConsumedCapacity);
        if (read) meter.dynamodb(units, 0);
        else meter.dynamodb(0, units);
        return result;
      } catch (error) {
        const name = (error as { name?: string }).name;
        if (!read && (name === 'ConditionalCheckFailedException' || name === 'TransactionCanceledException')) {
          meter.dynamodb(0, input.TransactItems ? 2 * input.TransactItems.length : 1);
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'kefuConsumedCapacity' },
  );
}

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  if (!documentClient) {
    const endpoint = optionalEnv(COMMON_ENV.dynamoDbEndpoint);
    const base = new DynamoDBClient(endpoint ? { endpoint, maxAttempts: 4 } : { maxAttempts: 4 });
    meterConsumedCapacity(base);
    documentClient = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
  }
  return documentClient;
}

/** For the local runtime: forget the client so that a new endpoint takes effect. */
export function resetDynamoDocumentClient(): void {
  documentClient = undefined;
}

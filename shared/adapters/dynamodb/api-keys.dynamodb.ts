/**
 * API keys and their rate-limit counters on DynamoDB, in existing tables:
 *
 * customers    pk = "apikey#<keyId>"   one item per key (name, owner, SHA-256 hash, prefix, rate, created / revoked /
 *                                      last used); read with a strongly consistent GetItem per request
 *              pk = "apikeys"          the list of key ids (a string set, ADDed in the same transaction as the key),
 *                                      so that listing reads the keys and never scans the customers
 * idempotency  pk = "ratelimit#apikey#<keyId>#<epoch minute>"   one counter per key and one-minute window:
 *                                      UpdateItem ADD count 1 on condition count < limit (exact under concurrency:
 *                                      DynamoDB serialises conditional writes to one item), expiresAt (TTL) two
 *                                      minutes after the window started
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApiKeyRecord } from '../../domain/channels/api-keys.ts';
import type { ApiKeyStore, RateCounters } from '../../ports/api-keys.ts';

const KEY_ITEM = (keyId: string) => ({ pk: `apikey#${keyId}` });
const INDEX_ITEM = { pk: 'apikeys' };
const BATCH_GET_LIMIT = 100;

const conditionFailed = (error: unknown) => error instanceof ConditionalCheckFailedException || (error as { name?: string }).name === 'ConditionalCheckFailedException';

function toRecord(item: Record<string, unknown>): ApiKeyRecord {
  const { pk: _pk, ...rest } = item;
  return rest as unknown as ApiKeyRecord;
}

export class DynamoDbApiKeyStore implements ApiKeyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    /** The customers table. */
    private readonly table: string,
  ) {}

  async create(record: ApiKeyRecord): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: { ...KEY_ITEM(record.keyId), ...record }, ConditionExpression: 'attribute_not_exists(pk)' } },
            { Update: { TableName: this.table, Key: INDEX_ITEM, UpdateExpression: 'ADD keyIds :id', ExpressionAttributeValues: { ':id': new Set([record.keyId]) } } },
          ],
        }),
      );
      return true;
    } catch (error) {
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
      if ((error as { name?: string }).name === 'TransactionCanceledException' && reasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  async get(keyId: string): Promise<ApiKeyRecord | undefined> {
    const res = await this.client.send(new GetCommand({ TableName: this.table, Key: KEY_ITEM(keyId), ConsistentRead: true }));
    return res.Item ? toRecord(res.Item) : undefined;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const index = await this.client.send(new GetCommand({ TableName: this.table, Key: INDEX_ITEM, ConsistentRead: true }));
    const ids = [...((index.Item?.keyIds as Set<string> | undefined) ?? [])];
    const records: ApiKeyRecord[] = [];
    for (let i = 0; i < ids.length; i += BATCH_GET_LIMIT) {
      let keys: Record<string, unknown>[] | undefined = ids.slice(i, i + BATCH_GET_LIMIT).map(KEY_ITEM);
      // Unprocessed keys (throttling) are asked again until none is left.
      for (let attempt = 0; keys && keys.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
        const res = await this.client.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true } } }));
        records.push(...(res.Responses?.[this.table] ?? []).map(toRecord));
        keys = res.UnprocessedKeys?.[this.table]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return records.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.keyId.localeCompare(b.keyId)));
  }

  async revoke(keyId: string, at: string, by: string): Promise<ApiKeyRecord | undefined> {
    try {
      const res = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: KEY_ITEM(keyId),
          // The first revocation stays: revoking again changes nothing.
          UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at), revokedBy = if_not_exists(revokedBy, :by)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at, ':by': by },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return res.Attributes ? toRecord(res.Attributes) : undefined;
    } catch (error) {
      if (conditionFailed(error)) return undefined;
      throw error;
    }
  }

  async touch(keyId: string, at: string, notBefore: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: KEY_ITEM(keyId),
          UpdateExpression: 'SET lastUsedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :notBefore)',
          ExpressionAttributeValues: { ':at': at, ':notBefore': notBefore },
        }),
      );
    } catch (error) {
      // Written by a concurrent request within the minute (or the key is gone): nothing to do.
      if (!conditionFailed(error)) throw error;
    }
  }
}

export class DynamoDbRateCounters implements RateCounters {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    /** The idempotency table (its `expiresAt` TTL removes old windows). */
    private readonly table: string,
  ) {}

  async take(counterKey: string, limit: number, expiresAt: number): Promise<{ admitted: boolean; count: number }> {
    try {
      const res = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: counterKey },
          UpdateExpression: 'SET expiresAt = :expiresAt ADD #count :one',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expiresAt': expiresAt },
          ReturnValues: 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { admitted: true, count: Number(res.Attributes?.count ?? 1) };
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      const item = (error as { Item?: Record<string, { N?: string }> }).Item;
      const count = item?.count?.N !== undefined ? Number(item.count.N) : limit;
      return { admitted: false, count };
    }
  }
}

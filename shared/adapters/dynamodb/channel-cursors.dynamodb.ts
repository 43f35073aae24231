/** Channel read positions (WeCom's sync_msg cursor per service account) as items of the idempotency table, "cursor#<key>", never expiring. */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ChannelCursors } from '../../ports/channel.ts';
import { keys } from './keys.ts';

export class DynamoDbChannelCursors implements ChannelCursors {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const res = await this.client.send(new GetCommand({ TableName: this.table, Key: keys.idempotency(`cursor#${key}`), ConsistentRead: true }));
    return typeof res.Item?.cursor === 'string' ? res.Item.cursor : undefined;
  }

  async put(key: string, cursor: string): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.table, Item: { ...keys.idempotency(`cursor#${key}`), cursor, updatedAt: new Date().toISOString() } }));
  }
}

/** Open WebSocket connections and the audience each listens to (connections table; see keys.ts). */
import { DeleteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const CONNECTION_TTL_SECONDS = 2 * 3600;

export class ConnectionRegistry {
  constructor(private readonly client: DynamoDBDocumentClient, private readonly table: string) {}

  async add(connectionId: string, audience: string, principal: string, now: Date): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: connectionId, audience, principal, connectedAt: now.toISOString(), expiresAt: Math.floor(now.getTime() / 1000) + CONNECTION_TTL_SECONDS },
      }),
    );
  }

  async remove(connectionId: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.table, Key: { pk: connectionId } }));
  }

  async listeners(audience: string): Promise<string[]> {
    const res = await this.client.send(
      new QueryCommand({ TableName: this.table, IndexName: 'byAudience', KeyConditionExpression: 'audience = :a', ExpressionAttributeValues: { ':a': audience } }),
    );
    return (res.Items ?? []).map((i) => i.pk as string);
  }
}

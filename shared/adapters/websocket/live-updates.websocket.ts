/**
 * LiveUpdates over the API Gateway WebSocket API: find the connections listening to an audience and post to each
 * through the @connections endpoint (the local runtime serves the same endpoint). Gone connections are forgotten.
 * Live updates are best effort: a failure is logged, never fails the business step that caused it.
 */
import { ApiGatewayManagementApiClient, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DeleteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LiveEvent, LiveUpdates } from '../../ports/gateways.ts';

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

export class WebSocketLiveUpdates implements LiveUpdates {
  private readonly api: ApiGatewayManagementApiClient;

  constructor(
    private readonly registry: ConnectionRegistry,
    endpoint: string,
    private readonly onError: (error: unknown, detail: Record<string, unknown>) => void,
  ) {
    this.api = new ApiGatewayManagementApiClient({ endpoint });
  }

  async publish(audience: string, event: LiveEvent): Promise<void> {
    try {
      const connections = await this.registry.listeners(audience);
      const data = new TextEncoder().encode(JSON.stringify({ audience, ...event }));
      await Promise.all(
        connections.map(async (connectionId) => {
          try {
            await this.api.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
          } catch (error) {
            if (error instanceof GoneException || (error as { name?: string }).name === 'GoneException') await this.registry.remove(connectionId);
            else this.onError(error, { audience, connectionId });
          }
        }),
      );
    } catch (error) {
      this.onError(error, { audience });
    }
  }
}

/**
 * LiveUpdates over the API Gateway WebSocket API: find the connections listening to an audience and post to each
 * through the @connections endpoint (the local runtime serves the same endpoint). Gone connections are forgotten.
 * Live updates are best effort: a failure is logged, never fails the business step that caused it.
 */
import { ApiGatewayManagementApiClient, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { meter } from '../../observability/cost-meter.ts';
import type { LiveEvent, LiveUpdates } from '../../ports/gateways.ts';
import type { ConnectionRegistry } from './connection-registry.dynamodb.ts';

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
    await this.channel(audience).publish(event);
  }

  channel(audience: string): { publish(event: LiveEvent): Promise<void> } {
    const listeners = this.registry.listeners(audience);
    // Not awaited until the first publish; a failed lookup must not surface as an unhandled rejection meanwhile.
    listeners.catch(() => undefined);
    return {
      publish: async (event) => {
        try {
          const connections = await listeners;
          const data = new TextEncoder().encode(JSON.stringify({ audience, ...event }));
          await Promise.all(connections.map((connectionId) => this.post(audience, connectionId, data)));
        } catch (error) {
          this.onError(error, { audience });
        }
      },
    };
  }

  private async post(audience: string, connectionId: string, data: Uint8Array): Promise<void> {
    try {
      // Every push is a message the WebSocket API bills (in 32 KB steps), to the invocation that sends it.
      meter.webSocketMessage(data.byteLength);
      await this.api.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
    } catch (error) {
      if (error instanceof GoneException || (error as { name?: string }).name === 'GoneException') await this.registry.remove(connectionId);
      else this.onError(error, { audience, connectionId });
    }
  }
}

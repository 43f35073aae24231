/**
 * Multi-turn flows on DynamoDB.
 *
 *   conversations   pk = "flow#<conversationId>"   the conversation's flow session (state, last turn), TTL expiresAt
 *   knowledge-log   pk = "flows", sk = <flowId>    the flow definitions in service (JSON, checked on the way in)
 *
 * The catalog is cached for a few seconds per process, so a flow edited through the admin API is live within that
 * time without a redeploy.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseFlowDefinition, type FlowDefinition } from '../../domain/flows/flow-definition.ts';
import type { FlowCatalog, FlowSession, FlowSessionStore } from '../../ports/flows.ts';

export class DynamoDbFlowSessions implements FlowSessionStore {
  constructor(private readonly client: DynamoDBDocumentClient, private readonly table: string) {}

  async get(conversationId: string): Promise<FlowSession | undefined> {
    const res = await this.client.send(new GetCommand({ TableName: this.table, Key: { pk: `flow#${conversationId}` }, ConsistentRead: true }));
    return res.Item?.session as FlowSession | undefined;
  }

  async put(conversationId: string, session: FlowSession | undefined): Promise<void> {
    if (!session) {
      await this.client.send(new DeleteCommand({ TableName: this.table, Key: { pk: `flow#${conversationId}` } }));
      return;
    }
    await this.client.send(
      new PutCommand({ TableName: this.table, Item: { pk: `flow#${conversationId}`, session, expiresAt: Math.ceil(Date.parse(session.expiresAt) / 1000) } }),
    );
  }
}

export interface StoredFlow {
  readonly definition: unknown;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export class DynamoDbFlowCatalog implements FlowCatalog {
  private cached: { at: number; flows: FlowDefinition[] } | undefined;

  constructor(private readonly client: DynamoDBDocumentClient, private readonly table: string, private readonly cacheMs = 5_000) {}

  async list(): Promise<FlowDefinition[]> {
    if (this.cached && Date.now() - this.cached.at < this.cacheMs) return this.cached.flows;
    const flows: FlowDefinition[] = [];
    for (const item of await this.items()) {
      try {
        flows.push(parseFlowDefinition(item.definition));
      } catch {
        // Definitions are checked when stored; one that no longer parses (an older format) is left out, not fatal.
      }
    }
    this.cached = { at: Date.now(), flows };
    return flows;
  }

  async items(): Promise<(StoredFlow & { id: string })[]> {
    const res = await this.client.send(new QueryCommand({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'flows' } }));
    return (res.Items ?? []).map((i) => ({ id: i.sk as string, definition: i.definition, updatedAt: i.updatedAt as string, updatedBy: i.updatedBy as string }));
  }

  async get(flowId: string): Promise<(StoredFlow & { id: string }) | undefined> {
    const res = await this.client.send(new GetCommand({ TableName: this.table, Key: { pk: 'flows', sk: flowId }, ConsistentRead: true }));
    return res.Item ? { id: flowId, definition: res.Item.definition, updatedAt: res.Item.updatedAt as string, updatedBy: res.Item.updatedBy as string } : undefined;
  }

  /** Stores a definition that has already been checked with parseFlowDefinition. */
  async put(flow: FlowDefinition, by: { actor: string; at: string }): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.table, Item: { pk: 'flows', sk: flow.id, definition: flow, updatedAt: by.at, updatedBy: by.actor } }));
    this.cached = undefined;
  }

  async delete(flowId: string): Promise<boolean> {
    const res = await this.client.send(new DeleteCommand({ TableName: this.table, Key: { pk: 'flows', sk: flowId }, ReturnValues: 'ALL_OLD' }));
    this.cached = undefined;
    return res.Attributes !== undefined;
  }
}

/** Agents, customers, knowledge and tickets on DynamoDB (see keys.ts for the access patterns). */
import { GetCommand, PutCommand, QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KnowledgeEntry } from '../../domain/knowledge/knowledge-entry.ts';
import type { Agent, AgentDirectory, Customer, CustomerDirectory, KnowledgeSource, Ticket, TicketStore } from '../../ports/directory.ts';

function strip<T>(item: Record<string, unknown>): T {
  const { pk, ...rest } = item;
  void pk;
  return rest as T;
}

async function scanAll(client: DynamoDBDocumentClient, table: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start);
  return items;
}

export class DynamoDbAgentDirectory implements AgentDirectory {
  constructor(private readonly client: DynamoDBDocumentClient, private readonly table: string) {}
  async get(agentId: string): Promise<Agent | undefined> {
    const res = await this.client.send(new GetCommand({ TableName: this.table, Key: { pk: agentId } }));
    return res.Item ? strip<Agent>(res.Item) : undefined;
  }
  async list(): Promise<Agent[]> {
    return (await scanAll(this.client, this.table)).map((i) => strip<Agent>(i));
  }
  async put(agent: Agent): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.table, Item: { pk: agent.id, ...agent } }));
  }
}

export class DynamoDbCustomerDirectory implements CustomerDirectory {
  constructor(private readonly client: DynamoDBDocumentClient, private readonly table: string) {}
  async get(customerId: string): Promise<Customer | undefined> {
    const res = await this.client.send(new GetCommand({ TableName: this.table, Key: { pk: customerId } }));
    return res.Item ? strip<Customer>(res.Item) : undefined;
  }
  async put(customer: Customer): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.table, Item: { pk: customer.id, ...customer } }));
  }
}

/** Reads the current entries; every write goes through DynamoDbKnowledgeRepository (version, audit, revision). */
export class DynamoDbKnowledgeSource implements KnowledgeSource {
  constructor(private readonly client: DynamoDBDocumentClient, private readonly table: string) {}
  async list(): Promise<KnowledgeEntry[]> {
    return (await scanAll(this.client, this.table)).map((i) => strip<KnowledgeEntry>(i));
  }
}

export class DynamoDbTicketStore implements TicketStore {
  constructor(private readonly client: DynamoDBDocumentClient, private readonly table: string) {}
  async createOnce(ticket: Ticket): Promise<Ticket> {
    try {
      await this.client.send(new PutCommand({ TableName: this.table, Item: { pk: ticket.id, ...ticket }, ConditionExpression: 'attribute_not_exists(pk)' }));
      return ticket;
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      const res = await this.client.send(new GetCommand({ TableName: this.table, Key: { pk: ticket.id }, ConsistentRead: true }));
      return strip<Ticket>(res.Item!);
    }
  }
  async listByConversation(conversationId: string): Promise<Ticket[]> {
    const res = await this.client.send(
      new QueryCommand({ TableName: this.table, IndexName: 'byConversation', KeyConditionExpression: 'conversationId = :c', ExpressionAttributeValues: { ':c': conversationId } }),
    );
    return (res.Items ?? []).map((i) => strip<Ticket>(i));
  }
}

/** Agents, customers and knowledge on DynamoDB (see keys.ts for the access patterns; tickets: tickets.dynamodb.ts). */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KnowledgeEntry } from '../../domain/knowledge/knowledge-entry.ts';
import type { Agent, AgentDirectory, Customer, CustomerDirectory, KnowledgeSource } from '../../ports/directory.ts';

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
    // The table also holds groups, calendars, SLA policies and statistics ("group#…", "stats#…").
    return (await scanAll(this.client, this.table)).filter((i) => !String(i.pk).includes('#')).map((i) => strip<Agent>(i));
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
  async replace(customer: Customer, expectedVersion: number): Promise<boolean> {
    // Customers written before profile editing carry no version: version 0 means "not there yet".
    const versioned = expectedVersion === 0 ? 'attribute_not_exists(#version)' : '#version = :expected';
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: customer.id, ...customer },
          ConditionExpression: `attribute_exists(pk) AND ${versioned}`,
          ExpressionAttributeNames: { '#version': 'version' },
          ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || (error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}

/** Reads the current entries; every write goes through DynamoDbKnowledgeRepository (version, audit, revision). */
export class DynamoDbKnowledgeSource implements KnowledgeSource {
  constructor(private readonly client: DynamoDBDocumentClient, private readonly table: string) {}
  async list(): Promise<KnowledgeEntry[]> {
    return (await scanAll(this.client, this.table)).map((i) => strip<KnowledgeEntry>(i));
  }
}

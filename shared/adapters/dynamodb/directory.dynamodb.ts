/** Agents, customers and knowledge on DynamoDB (see keys.ts for the access patterns; tickets: tickets.dynamodb.ts). */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, GetCommand, PutCommand, ScanCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KnowledgeEntry } from '../../domain/knowledge/knowledge-entry.ts';
import type { Agent, AgentDirectory, Customer, CustomerDirectory, CustomerLinks, IdentityWrite, KnowledgeSource } from '../../ports/directory.ts';

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

/** How many `mergedInto` hops a read follows (a merge chain longer than this is a bug, not a customer). */
const MAX_MERGE_HOPS = 5;
/** DynamoDB's limit of items in one transaction. */
const TRANSACTION_ITEMS = 100;
/** Pages a search scans at most (1 MB each): the admin search is a scan until the table has a search index. */
const SEARCH_PAGES = 20;

const isConditionFailure = (error: unknown) => {
  const name = (error as { name?: string }).name;
  return error instanceof ConditionalCheckFailedException || name === 'ConditionalCheckFailedException' || name === 'TransactionCanceledException';
};

/**
 * Customers (pk = the customer id) and their identity links (pk `idn#…` / `vfy#…` → { customerId }) in one table.
 * `get` follows a merged customer to the one it was merged into.
 */
export class DynamoDbCustomerDirectory implements CustomerDirectory {
  readonly links: CustomerLinks;
  constructor(private readonly client: DynamoDBDocumentClient, private readonly table: string) {
    this.links = {
      get: (keys) => this.getLinks(keys),
      getStored: (customerId) => this.getStored(customerId, true),
      commit: (write) => this.commit(write),
      search: (text, limit) => this.search(text, limit),
    };
  }
  async get(customerId: string): Promise<Customer | undefined> {
    let customer = await this.getStored(customerId, false);
    for (let hop = 0; customer?.mergedInto && hop < MAX_MERGE_HOPS; hop++) customer = await this.getStored(customer.mergedInto, true);
    return customer;
  }
  private async getStored(customerId: string, consistent: boolean): Promise<Customer | undefined> {
    const res = await this.client.send(new GetCommand({ TableName: this.table, Key: { pk: customerId }, ...(consistent ? { ConsistentRead: true } : {}) }));
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

  private async getLinks(keys: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const found = new Map<string, string>();
    const unique = [...new Set(keys)];
    if (unique.length === 0) return found;
    if (unique.length === 1) {
      // The common case (a message without verified contacts): one GetItem.
      const res = await this.client.send(new GetCommand({ TableName: this.table, Key: { pk: unique[0] }, ConsistentRead: true, ProjectionExpression: 'pk, customerId' }));
      if (res.Item?.customerId) found.set(unique[0]!, String(res.Item.customerId));
      return found;
    }
    let pending: Record<string, unknown>[] = unique.map((pk) => ({ pk }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(20 * 2 ** attempt, 500)));
      const res = await this.client.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending, ConsistentRead: true, ProjectionExpression: 'pk, customerId' } } }));
      for (const item of res.Responses?.[this.table] ?? []) if (item.customerId) found.set(String(item.pk), String(item.customerId));
      pending = (res.UnprocessedKeys?.[this.table]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      if (attempt > 8 && pending.length) throw new Error('customer links: unprocessed keys after 8 retries');
    }
    return found;
  }

  private async commit(write: IdentityWrite): Promise<boolean> {
    type Item = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];
    const items: Item[] = write.customers.map(({ customer, expectedVersion }) => {
      if (expectedVersion === 'absent') return { Put: { TableName: this.table, Item: { pk: customer.id, ...customer }, ConditionExpression: 'attribute_not_exists(pk)' } };
      return {
        Put: {
          TableName: this.table,
          Item: { pk: customer.id, ...customer },
          ConditionExpression: expectedVersion === 0 ? 'attribute_exists(pk) AND attribute_not_exists(#version)' : 'attribute_exists(pk) AND #version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
        },
      };
    });
    const linkItem = (link: IdentityWrite['links'][number]): Item => ({
      Put: { TableName: this.table, Item: { pk: link.key, customerId: link.customerId }, ...(link.ifAbsent ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}) },
    });
    const conditional = write.links.filter((l) => l.ifAbsent);
    const plain = write.links.filter((l) => !l.ifAbsent);
    items.push(...conditional.map(linkItem));
    if (items.length > TRANSACTION_ITEMS) throw new Error(`an identity write of ${items.length} conditional items is more than one transaction`);
    const inTransaction = plain.slice(0, TRANSACTION_ITEMS - items.length);
    const after = plain.slice(inTransaction.length);
    items.push(...inTransaction.map(linkItem));
    try {
      if (items.length === 1 && items[0]!.Put) await this.client.send(new PutCommand(items[0]!.Put as ConstructorParameters<typeof PutCommand>[0]));
      else await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
    // Links beyond one transaction (a customer with very many identities): unconditional, so a retry of the same
    // merge writes them again (the source already points at the target, which makes the retry find this write).
    for (let i = 0; i < after.length; i += 25) {
      let requests: Record<string, unknown>[] = after.slice(i, i + 25).map((l) => ({ PutRequest: { Item: { pk: l.key, customerId: l.customerId } } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(20 * 2 ** attempt, 500)));
        const res = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests as never } }));
        requests = (res.UnprocessedItems?.[this.table] as Record<string, unknown>[] | undefined) ?? [];
      }
    }
    return true;
  }

  private async search(text: string, limit: number): Promise<Customer[]> {
    const needle = text.trim().toLowerCase();
    const found: Customer[] = [];
    let start: Record<string, unknown> | undefined;
    let pages = 0;
    do {
      const res = await this.client.send(
        new ScanCommand({ TableName: this.table, ExclusiveStartKey: start, FilterExpression: 'attribute_exists(identities) AND attribute_not_exists(mergedInto)' }),
      );
      for (const item of res.Items ?? []) {
        const customer = strip<Customer>(item);
        const haystack = [customer.id, customer.name, customer.email, customer.phone, ...customer.identities.map((i) => i.value), ...(customer.verified ?? []).map((v) => v.value)];
        if (!needle || haystack.some((h) => h?.toLowerCase().includes(needle))) found.push(customer);
      }
      start = res.LastEvaluatedKey;
      pages++;
    } while (start && found.length < limit && pages < SEARCH_PAGES);
    return found.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit);
  }
}

/** Reads the current entries; every write goes through DynamoDbKnowledgeRepository (version, audit, revision). */
export class DynamoDbKnowledgeSource implements KnowledgeSource {
  constructor(private readonly client: DynamoDBDocumentClient, private readonly table: string) {}
  async list(): Promise<KnowledgeEntry[]> {
    return (await scanAll(this.client, this.table)).map((i) => strip<KnowledgeEntry>(i));
  }
}

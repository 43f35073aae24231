/**
 * TicketStore on DynamoDB: one partition per ticket in the tickets table.
 *
 *   pk = <ticketId>, sk = "ticket"                 the ticket (with `dueKey`, see shared/domain/tickets/ticket.ts)
 *   pk = <ticketId>, sk = "c#<ISO>#<commentId>"    public replies and internal notes, in time order
 *   pk = <ticketId>, sk = "h#<ISO>#<historyId>"    history: who changed what
 *   pk = "idem#<key>", sk = "idem"                 a create's idempotency key → the ticket it created
 *
 *   - a ticket with its comments and history       Query(pk), strongly consistent: "c#…" < "h#…" < "ticket"
 *   - tickets of a conversation, oldest first      Query(byConversation: conversationId, createdAt)
 *   - tickets in a status, most urgent first       Query(byStatus: status, dueKey [< dueBefore])
 *   - an agent's tickets, most urgent first        Query(byAssignee: assigneeId, dueKey [< dueBefore])
 *   - a customer's tickets, newest first           Query(byCustomer: customerId, createdAt desc)
 *
 * Only ticket items carry the index attributes (comments, history and idempotency items never have conversationId,
 * status, assigneeId or customerId), so the indexes hold tickets only.
 *
 * Every change is a TransactWrite whose ticket Puts are conditional on the version the caller read: a stale version
 * cancels the whole transaction (TICKET.CONFLICT) and nothing is written.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../../domain/errors.ts';
import { dueKeyOf, newTicket, type NewTicket, type Ticket, type TicketComment, type TicketHistoryEntry } from '../../domain/tickets/ticket.ts';
import type { TicketChangeSet, TicketPage, TicketQuery, TicketStore, TicketWithActivity } from '../../ports/tickets.ts';

const TICKET_SK = 'ticket';
const IDEMPOTENCY_SK = 'idem';
const MAX_LIMIT = 100;
const CREATE_ATTEMPTS = 5;

type Item = Record<string, unknown>;
type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** Plain JSON (drops undefined, which the document client refuses unless told otherwise). */
function json<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export const ticketKeys = {
  ticket: (ticketId: string) => ({ pk: ticketId, sk: TICKET_SK }),
  comment: (c: Pick<TicketComment, 'ticketId' | 'createdAt' | 'id'>) => ({ pk: c.ticketId, sk: `c#${c.createdAt}#${c.id}` }),
  history: (h: Pick<TicketHistoryEntry, 'ticketId' | 'at' | 'id'>) => ({ pk: h.ticketId, sk: `h#${h.at}#${h.id}` }),
  idempotency: (key: string) => ({ pk: `idem#${key}`, sk: IDEMPOTENCY_SK }),
};

function ticketItem(ticket: Ticket): Item {
  return { ...json(ticket), ...ticketKeys.ticket(ticket.id), dueKey: dueKeyOf(ticket) };
}

function toTicket(item: Item): Ticket {
  const { pk, sk, dueKey, ...rest } = item;
  void pk;
  void sk;
  void dueKey;
  return rest as unknown as Ticket;
}

function toComment(item: Item): TicketComment {
  const { pk, sk, ...rest } = item;
  void sk;
  return { ...(rest as unknown as TicketComment), ticketId: pk as string };
}

function toHistory(item: Item): TicketHistoryEntry {
  const { pk, sk, ...rest } = item;
  void sk;
  return { ...(rest as unknown as TicketHistoryEntry), ticketId: pk as string };
}

function commentPut(c: TicketComment): TransactItem {
  const { ticketId, ...rest } = json(c);
  void ticketId;
  return { Put: { TableName: '', Item: { ...ticketKeys.comment(c), ...rest }, ConditionExpression: 'attribute_not_exists(pk)' } };
}

function historyPut(h: TicketHistoryEntry): TransactItem {
  const { ticketId, ...rest } = json(h);
  void ticketId;
  return { Put: { TableName: '', Item: { ...ticketKeys.history(h), ...rest }, ConditionExpression: 'attribute_not_exists(pk)' } };
}

function cancellation(error: unknown): readonly { Code?: string }[] | undefined {
  if (error instanceof TransactionCanceledException || (error as { name?: string })?.name === 'TransactionCanceledException') {
    return (error as TransactionCanceledException).CancellationReasons ?? [];
  }
  return undefined;
}

const invalidCursor = () => new DomainError('TICKET.INVALID', 'cursor is not valid for this search', { field: 'cursor' });

export function encodeCursor(by: TicketQuery['by'], key: Item): string {
  return Buffer.from(JSON.stringify({ q: by, k: key }), 'utf8').toString('base64url');
}

export function decodeCursor(by: TicketQuery['by'], cursor: string): Item {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const { q, k } = (parsed ?? {}) as { q?: unknown; k?: unknown };
  if (q !== by || typeof k !== 'object' || k === null || Array.isArray(k)) throw invalidCursor();
  const key = k as Item;
  if (typeof key.pk !== 'string' || key.sk !== TICKET_SK || Object.values(key).some((v) => typeof v !== 'string') || Object.keys(key).length > 4) throw invalidCursor();
  return key;
}

export class DynamoDbTicketStore implements TicketStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private withTable(item: TransactItem): TransactItem {
    if (item.Put) return { Put: { ...item.Put, TableName: this.table } };
    return item;
  }

  async createOnce(input: NewTicket): Promise<Ticket> {
    const ticket = newTicket(input);
    const { ticket: stored } = await this.create(ticket, {
      history: [{ id: 'created', ticketId: ticket.id, at: ticket.createdAt, actor: 'system', action: 'created', detail: { status: ticket.status, priority: ticket.priority } }],
    });
    return stored;
  }

  async create(
    ticket: Ticket,
    options: { readonly idempotencyKey?: string; readonly history?: readonly TicketHistoryEntry[]; readonly comments?: readonly TicketComment[] } = {},
  ): Promise<{ ticket: Ticket; created: boolean }> {
    const items: TransactItem[] = [{ Put: { TableName: this.table, Item: ticketItem(ticket), ConditionExpression: 'attribute_not_exists(pk)' } }];
    if (options.idempotencyKey) {
      items.push({
        Put: { TableName: this.table, Item: { ...ticketKeys.idempotency(options.idempotencyKey), ticketId: ticket.id, createdAt: ticket.createdAt }, ConditionExpression: 'attribute_not_exists(pk)' },
      });
    }
    for (const h of options.history ?? []) items.push(this.withTable(historyPut(h)));
    for (const c of options.comments ?? []) items.push(this.withTable(commentPut(c)));
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: items }));
        return { ticket, created: true };
      } catch (error) {
        const reasons = cancellation(error);
        if (!reasons) throw error;
        // Racing creates with the same key: the loser's transaction is cancelled as a conflict; try again to see the winner.
        if (!reasons.some((r) => r.Code === 'ConditionalCheckFailed') && reasons.some((r) => r.Code === 'TransactionConflict') && attempt < CREATE_ATTEMPTS) {
          await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
          continue;
        }
        const existing = await this.existing(ticket.id, options.idempotencyKey, reasons);
        if (existing) return { ticket: existing, created: false };
        throw error;
      }
    }
  }

  /** The ticket a cancelled create ran into: the one its idempotency key created, or the one with its id. */
  private async existing(ticketId: string, idempotencyKey: string | undefined, reasons: readonly { Code?: string }[]): Promise<Ticket | undefined> {
    if (idempotencyKey && reasons[1]?.Code === 'ConditionalCheckFailed') {
      const res = await this.client.send(new GetCommand({ TableName: this.table, Key: ticketKeys.idempotency(idempotencyKey), ConsistentRead: true }));
      const existing = res.Item ? await this.get(res.Item.ticketId as string) : undefined;
      if (existing) return existing;
    }
    if (reasons[0]?.Code === 'ConditionalCheckFailed') return this.get(ticketId);
    return undefined;
  }

  async get(ticketId: string): Promise<Ticket | undefined> {
    const res = await this.client.send(new GetCommand({ TableName: this.table, Key: ticketKeys.ticket(ticketId), ConsistentRead: true }));
    return res.Item ? toTicket(res.Item) : undefined;
  }

  async load(ticketId: string): Promise<TicketWithActivity | undefined> {
    const items = await this.queryAll({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': ticketId }, ConsistentRead: true });
    const ticketRow = items.find((i) => i.sk === TICKET_SK);
    if (!ticketRow) return undefined;
    return {
      ticket: toTicket(ticketRow),
      comments: items.filter((i) => String(i.sk).startsWith('c#')).map(toComment),
      history: items.filter((i) => String(i.sk).startsWith('h#')).map(toHistory),
    };
  }

  async write(changes: TicketChangeSet): Promise<void> {
    const items: TransactItem[] = [];
    for (const { ticket, expectedVersion } of changes.updates) {
      items.push({
        Put: {
          TableName: this.table,
          Item: ticketItem(ticket),
          ConditionExpression: 'attribute_exists(pk) AND #version = :v',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':v': expectedVersion },
        },
      });
    }
    for (const t of changes.creates ?? []) items.push({ Put: { TableName: this.table, Item: ticketItem(t), ConditionExpression: 'attribute_not_exists(pk)' } });
    for (const c of changes.comments ?? []) items.push(this.withTable(commentPut(c)));
    for (const h of changes.history ?? []) items.push(this.withTable(historyPut(h)));
    if (!items.length) return;
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const reasons = cancellation(error);
      if (!reasons || !reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) throw error;
      const stale = changes.updates.filter((_, i) => reasons[i]?.Code === 'ConditionalCheckFailed' || reasons[i]?.Code === 'TransactionConflict').map((u) => u.ticket.id);
      throw new DomainError('TICKET.CONFLICT', `ticket ${stale.join(', ') || changes.updates.map((u) => u.ticket.id).join(', ')} changed meanwhile; read it again`, {
        ticketIds: stale.length ? stale : changes.updates.map((u) => u.ticket.id),
      });
    }
  }

  async listByConversation(conversationId: string): Promise<Ticket[]> {
    const items = await this.queryAll({
      TableName: this.table,
      IndexName: 'byConversation',
      KeyConditionExpression: 'conversationId = :c',
      ExpressionAttributeValues: { ':c': conversationId },
    });
    return items.map(toTicket);
  }

  async search(query: TicketQuery, page: { readonly limit: number; readonly cursor?: string }): Promise<TicketPage> {
    if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > MAX_LIMIT) {
      throw new DomainError('TICKET.INVALID', `limit must be an integer from 1 to ${MAX_LIMIT}`, { field: 'limit' });
    }
    const input: QueryCommandInput = { TableName: this.table, Limit: page.limit, ...this.keyCondition(query) };
    if (page.cursor) input.ExclusiveStartKey = decodeCursor(query.by, page.cursor);
    let res;
    try {
      res = await this.client.send(new QueryCommand(input));
    } catch (error) {
      if (page.cursor && (error as { name?: string })?.name === 'ValidationException') throw invalidCursor();
      throw error;
    }
    const items = (res.Items ?? []).map(toTicket);
    return res.LastEvaluatedKey ? { items, nextCursor: encodeCursor(query.by, res.LastEvaluatedKey) } : { items };
  }

  private keyCondition(query: TicketQuery): Pick<QueryCommandInput, 'IndexName' | 'KeyConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues' | 'ScanIndexForward'> {
    switch (query.by) {
      case 'status':
      case 'assignee': {
        const attribute = query.by === 'status' ? 'status' : 'assigneeId';
        const value = query.by === 'status' ? query.status : query.assigneeId;
        return {
          IndexName: query.by === 'status' ? 'byStatus' : 'byAssignee',
          KeyConditionExpression: `#k = :k${query.dueBefore ? ' AND #due < :due' : ''}`,
          ExpressionAttributeNames: { '#k': attribute, ...(query.dueBefore ? { '#due': 'dueKey' } : {}) },
          ExpressionAttributeValues: { ':k': value, ...(query.dueBefore ? { ':due': query.dueBefore } : {}) },
        };
      }
      case 'customer':
        return { IndexName: 'byCustomer', KeyConditionExpression: 'customerId = :k', ExpressionAttributeValues: { ':k': query.customerId }, ScanIndexForward: false };
      case 'conversation':
        return { IndexName: 'byConversation', KeyConditionExpression: 'conversationId = :k', ExpressionAttributeValues: { ':k': query.conversationId } };
    }
  }

  private async queryAll(input: QueryCommandInput): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const res = await this.client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      items.push(...(res.Items ?? []));
      start = res.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

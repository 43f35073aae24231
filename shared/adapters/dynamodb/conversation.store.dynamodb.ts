/**
 * ConversationStore on DynamoDB: conversations and messages tables plus the idempotency table, written together in
 * transactions so that a message is never half-written (counter, message and idempotency key move as one).
 */
import { TransactionCanceledException, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { OUTBOUND_CHANNELS, type Conversation, type ConversationStatus, type Message, type MessageDraft, type OutboxState } from '../../domain/conversation/conversation.ts';
import { DomainError } from '../../domain/errors.ts';
import type { AppendResult, AuditEvent, ConversationNote, ConversationStore, Fields as PortFields, StatusChange } from '../../ports/conversation.store.ts';
import { keys, messageSortKey, MESSAGE_SORT_KEY_END } from './keys.ts';

export interface ConversationStoreTables {
  readonly conversations: string;
  readonly messages: string;
  readonly idempotency: string;
}

const IDEMPOTENCY_TTL_SECONDS = 7 * 24 * 3600;
const MAX_APPEND_ATTEMPTS = 12;

type Fields = PortFields;

const internalConversationAttributes = new Set(['pk', 'queueKey', 'queueOrder']);

export function toConversation(item: Record<string, unknown>): Conversation {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!internalConversationAttributes.has(k)) out[k] = v;
  return out as unknown as Conversation;
}

function toMessage(item: Record<string, unknown>): Message {
  const { pk, sk, kind, ...rest } = item;
  void sk;
  void kind;
  return { ...(rest as unknown as Message), conversationId: pk as string };
}

/** The update expression of updateParts' result: `SET ...` and / or `REMOVE ...`. */
export function expressionOf(parts: { sets: string[]; removes: string[] }): string {
  return [parts.sets.length ? `SET ${parts.sets.join(', ')}` : '', parts.removes.length ? `REMOVE ${parts.removes.join(', ')}` : ''].filter(Boolean).join(' ');
}

/** Builds `SET a = :a, ... REMOVE b` from fields where null means remove. */
export function updateParts(fields: Fields, prefix: string) {
  const sets: string[] = [];
  const removes: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  let i = 0;
  for (const [name, value] of Object.entries(fields)) {
    const n = `#${prefix}${i}`;
    names[n] = name;
    if (value === null) removes.push(n);
    else {
      const v = `:${prefix}${i}`;
      values[v] = value;
      sets.push(`${n} = ${v}`);
    }
    i++;
  }
  return { sets, removes, names, values };
}

function statusCondition(from: readonly ConversationStatus[], values: Record<string, unknown>, names: Record<string, string>): string {
  names['#status'] = 'status';
  const placeholders = from.map((s, i) => {
    values[`:from${i}`] = s;
    return `:from${i}`;
  });
  return `#status IN (${placeholders.join(', ')})`;
}

function isConditionalFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}

export class DynamoDbConversationStore implements ConversationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: ConversationStoreTables,
  ) {}

  async create(conversation: Conversation): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tables.conversations,
        Item: { ...keys.conversation(conversation.id), ...conversation },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(conversationId: string): Promise<Conversation | undefined> {
    const res = await this.client.send(new GetCommand({ TableName: this.tables.conversations, Key: keys.conversation(conversationId), ConsistentRead: true }));
    return res.Item ? toConversation(res.Item) : undefined;
  }

  async append(
    conversationId: string,
    draft: MessageDraft,
    options: { idempotencyKey?: string; statusChange?: StatusChange; set?: Fields; annotate?: { seq: number; fields: Fields }; current?: Conversation } = {},
  ): Promise<AppendResult> {
    // Optimistic: write with the caller's view of the conversation (one round trip on the happy path); a cancelled
    // transaction says why, and only then is anything read again.
    let conversation = options.current;
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
      conversation ??= await this.get(conversationId);
      if (!conversation) throw new DomainError('CONVERSATION.NOT_FOUND', `conversation ${conversationId} does not exist`);
      if (options.statusChange && !options.statusChange.from.includes(conversation.status)) {
        const duplicate = options.idempotencyKey ? await this.findByIdempotencyKey(options.idempotencyKey) : undefined;
        if (duplicate) return { message: duplicate, duplicate: true };
        throw new DomainError('CONVERSATION.BUSY', `conversation ${conversationId} is ${conversation.status}`, { status: conversation.status });
      }
      const seq = conversation.seq + 1;
      // A reply on a channel with its own send API waits in the outbox (the stream hands it to the outbox consumer).
      const outbound = draft.role !== 'customer' && (OUTBOUND_CHANNELS.includes(conversation.channel) || (conversation.channel === 'api' && conversation.channelThread?.push === '1'));
      const fields: Record<string, PortFields[string]> = { seq, updatedAt: draft.createdAt, lastMessageAt: draft.createdAt, ...(draft.role === 'customer' ? { lastInboundAt: draft.createdAt } : {}), ...(options.set ?? {}) };
      if (options.statusChange) Object.assign(fields, { status: options.statusChange.to }, withQueueIndex(options.statusChange));
      const message: Message = { ...draft, conversationId, seq, ...(outbound ? { outbox: 'pending' as const } : {}) };
      const parts = updateParts(fields, 'f');
      parts.names['#seq'] = 'seq';
      parts.values[':prevSeq'] = conversation.seq;
      let condition = '#seq = :prevSeq';
      if (options.statusChange) {
        condition += ` AND ${statusCondition(options.statusChange.from, parts.values, parts.names)}`;
        let i = 0;
        for (const [name, value] of Object.entries(options.statusChange.expect ?? {})) {
          if ((conversation as unknown as Record<string, unknown>)[name] !== value) {
            throw new DomainError('CONVERSATION.BUSY', `conversation ${conversationId} changed owner`, { [name]: (conversation as unknown as Record<string, unknown>)[name] });
          }
          parts.names[`#e${i}`] = name;
          parts.values[`:e${i}`] = value;
          condition += ` AND #e${i} = :e${i}`;
          i++;
        }
      }
      const now = Math.floor(Date.parse(draft.createdAt) / 1000);
      const transactItems: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
        {
          Update: {
            TableName: this.tables.conversations,
            Key: keys.conversation(conversationId),
            UpdateExpression: expressionOf(parts),
            ConditionExpression: condition,
            ExpressionAttributeNames: parts.names,
            ExpressionAttributeValues: parts.values,
          },
        },
        {
          Put: {
            TableName: this.tables.messages,
            Item: { ...keys.message(conversationId, seq), kind: 'message', ...draft, seq, ...(outbound ? { outbox: 'pending' } : {}) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ];
      if (options.idempotencyKey) {
        transactItems.push({
          Put: {
            TableName: this.tables.idempotency,
            Item: { ...keys.idempotency(options.idempotencyKey), conversationId, messageId: draft.id, seq, createdAt: draft.createdAt, expiresAt: now + IDEMPOTENCY_TTL_SECONDS },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
      }
      if (options.annotate) {
        // After the idempotency key, so that a cancellation reason's index still tells which item failed.
        const note = updateParts(options.annotate.fields, 'a');
        transactItems.push({
          Update: {
            TableName: this.tables.messages,
            Key: keys.message(conversationId, options.annotate.seq),
            UpdateExpression: expressionOf(note),
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: note.names,
            ExpressionAttributeValues: note.values,
          },
        });
      }
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: transactItems }));
        return { message, duplicate: false };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException) && (error as { name?: string }).name !== 'TransactionCanceledException') throw error;
        const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
        if (options.idempotencyKey && reasons[2]?.Code === 'ConditionalCheckFailed') {
          const existing = await this.findByIdempotencyKey(options.idempotencyKey);
          if (existing) return { message: existing, duplicate: true };
        }
        // A concurrent writer took the sequence number (or moved the status): read again and retry.
        conversation = undefined;
        await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
      }
    }
    throw new DomainError('CONVERSATION.BUSY', `conversation ${conversationId} is too busy, retry`);
  }

  private async findByIdempotencyKey(key: string): Promise<Message | undefined> {
    const res = await this.client.send(new GetCommand({ TableName: this.tables.idempotency, Key: keys.idempotency(key), ConsistentRead: true }));
    if (!res.Item) return undefined;
    const { conversationId, seq } = res.Item as { conversationId: string; seq: number };
    const message = await this.client.send(new GetCommand({ TableName: this.tables.messages, Key: keys.message(conversationId, seq), ConsistentRead: true }));
    if (!message.Item) throw new Error(`idempotency record ${key} points at a missing message`);
    return toMessage(message.Item);
  }

  async setOutbox(conversationId: string, seq: number, change: { from: readonly OutboxState[]; to: OutboxState; fields?: Fields }): Promise<Message | undefined> {
    const parts = updateParts({ ...(change.fields ?? {}), outbox: change.to }, 'f');
    const from = change.from.map((state, i) => {
      parts.values[`:from${i}`] = state;
      return `:from${i}`;
    });
    parts.names['#outbox'] = 'outbox';
    try {
      const res = await this.client.send(
        new UpdateCommand({
          TableName: this.tables.messages,
          Key: keys.message(conversationId, seq),
          UpdateExpression: expressionOf(parts),
          ConditionExpression: `#outbox IN (${from.join(', ')})`,
          ExpressionAttributeNames: parts.names,
          ExpressionAttributeValues: parts.values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return res.Attributes ? toMessage(res.Attributes) : undefined;
    } catch (error) {
      if (isConditionalFailure(error)) return undefined;
      throw error;
    }
  }

  async getMessage(conversationId: string, seq: number): Promise<Message | undefined> {
    const res = await this.client.send(new GetCommand({ TableName: this.tables.messages, Key: keys.message(conversationId, seq), ConsistentRead: true }));
    return res.Item ? toMessage(res.Item) : undefined;
  }

  async listMessages(conversationId: string, options: { afterSeq?: number; limit: number }): Promise<Message[]> {
    const res = await this.client.send(
      new QueryCommand({
        TableName: this.tables.messages,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': conversationId,
          ':from': messageSortKey((options.afterSeq ?? 0) + 1),
          ':to': MESSAGE_SORT_KEY_END,
        },
        Limit: options.limit,
        ConsistentRead: true,
      }),
    );
    return (res.Items ?? []).map(toMessage);
  }

  async changeStatus(conversationId: string, change: StatusChange): Promise<Conversation | undefined> {
    const parts = updateParts({ ...withQueueIndex(change), status: change.to }, 'f');
    let condition = `attribute_exists(pk) AND ${statusCondition(change.from, parts.values, parts.names)}`;
    let i = 0;
    for (const [name, value] of Object.entries(change.expect ?? {})) {
      parts.names[`#e${i}`] = name;
      parts.values[`:e${i}`] = value;
      condition += ` AND #e${i} = :e${i}`;
      i++;
    }
    return this.conditionalUpdate(conversationId, parts, condition);
  }

  async update(conversationId: string, fields: Fields, whenStatus: readonly ConversationStatus[]): Promise<Conversation | undefined> {
    const parts = updateParts(fields, 'f');
    const condition = `attribute_exists(pk) AND ${statusCondition(whenStatus, parts.values, parts.names)}`;
    return this.conditionalUpdate(conversationId, parts, condition);
  }

  private async conditionalUpdate(conversationId: string, parts: ReturnType<typeof updateParts>, condition: string): Promise<Conversation | undefined> {
    try {
      const res = await this.client.send(
        new UpdateCommand({
          TableName: this.tables.conversations,
          Key: keys.conversation(conversationId),
          UpdateExpression: expressionOf(parts),
          ConditionExpression: condition,
          ExpressionAttributeNames: parts.names,
          ...(Object.keys(parts.values).length ? { ExpressionAttributeValues: parts.values } : {}),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return res.Attributes ? toConversation(res.Attributes) : undefined;
    } catch (error) {
      if (isConditionalFailure(error)) return undefined;
      throw error;
    }
  }

  async listQueue(limit: number, groupId?: string): Promise<Conversation[]> {
    const res = await this.client.send(
      new QueryCommand({
        TableName: this.tables.conversations,
        IndexName: 'byQueue',
        KeyConditionExpression: 'queueKey = :q',
        ExpressionAttributeValues: { ':q': keys.queueKey(groupId) },
        Limit: limit,
      }),
    );
    // The index is eventually consistent: drop items whose status already moved on.
    return (res.Items ?? []).map(toConversation).filter((c) => c.status === 'queued');
  }

  async listAssigned(agentId: string, limit: number): Promise<Conversation[]> {
    const res = await this.client.send(
      new QueryCommand({
        TableName: this.tables.conversations,
        IndexName: 'byAgent',
        KeyConditionExpression: 'assignedAgentId = :a AND #status = :agent',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':a': agentId, ':agent': 'agent' },
        Limit: limit,
      }),
    );
    // The index is eventually consistent: drop items that moved on meanwhile.
    return (res.Items ?? [])
      .map(toConversation)
      .filter((c) => c.status === 'agent' && c.assignedAgentId === agentId)
      .sort((a, b) => (a.acceptedAt ?? '').localeCompare(b.acceptedAt ?? ''));
  }

  async listByCustomer(customerId: string, limit: number): Promise<Conversation[]> {
    const res = await this.client.send(
      new QueryCommand({
        TableName: this.tables.conversations,
        IndexName: 'byCustomer',
        KeyConditionExpression: 'customerId = :c',
        ExpressionAttributeValues: { ':c': customerId },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (res.Items ?? []).map(toConversation);
  }

  async recordEvent(conversationId: string, event: AuditEvent): Promise<void> {
    const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    await this.client.send(
      new PutCommand({ TableName: this.tables.messages, Item: { ...keys.event(conversationId, event.at, id), kind: 'event', ...event } }),
    );
  }

  async listEvents(conversationId: string): Promise<AuditEvent[]> {
    const res = await this.client.send(
      new QueryCommand({
        TableName: this.tables.messages,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :evt)',
        ExpressionAttributeValues: { ':pk': conversationId, ':evt': 'evt#' },
        ConsistentRead: true,
      }),
    );
    return (res.Items ?? []).map(({ type, at, actor, detail }) => ({ type, at, actor, ...(detail ? { detail } : {}) }) as AuditEvent);
  }

  /**
   * A note is an "evt#" item (kind "event", no role): outside the "msg#" range that every transcript read queries, and
   * unmatched by the message stream's filter (kind "message", role "customer"), so it never reaches a customer, a
   * channel or the bot. The idempotency record and the note are written together.
   */
  async addNote(note: ConversationNote, options: { idempotencyKey?: string } = {}): Promise<{ note: ConversationNote; duplicate: boolean }> {
    const key = keys.event(note.conversationId, note.createdAt, note.id);
    const { conversationId, ...detail } = note;
    void conversationId;
    const transactItems: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
      {
        Put: {
          TableName: this.tables.messages,
          Item: { ...key, kind: 'event', type: 'note', at: note.createdAt, actor: `agent:${note.agentId}`, detail },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    if (options.idempotencyKey) {
      const now = Math.floor(Date.parse(note.createdAt) / 1000);
      transactItems.push({
        Put: {
          TableName: this.tables.idempotency,
          Item: { ...keys.idempotency(options.idempotencyKey), conversationId: note.conversationId, noteKey: key.sk, createdAt: note.createdAt, expiresAt: now + IDEMPOTENCY_TTL_SECONDS },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: transactItems }));
      return { note, duplicate: false };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException) && (error as { name?: string }).name !== 'TransactionCanceledException') throw error;
      const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
      if (!options.idempotencyKey || reasons[1]?.Code !== 'ConditionalCheckFailed') throw error;
      const original = await this.findNote(options.idempotencyKey);
      if (!original) throw error;
      return { note: original, duplicate: true };
    }
  }

  private async findNote(idempotencyKey: string): Promise<ConversationNote | undefined> {
    const record = await this.client.send(new GetCommand({ TableName: this.tables.idempotency, Key: keys.idempotency(idempotencyKey), ConsistentRead: true }));
    const { conversationId, noteKey } = (record.Item ?? {}) as { conversationId?: string; noteKey?: string };
    if (!conversationId || !noteKey) return undefined;
    const item = await this.client.send(new GetCommand({ TableName: this.tables.messages, Key: { pk: conversationId, sk: noteKey }, ConsistentRead: true }));
    return item.Item ? ({ conversationId, ...(item.Item.detail as Omit<ConversationNote, 'conversationId'>) } as ConversationNote) : undefined;
  }
}

/** The queue index attributes follow the status: set on entering the queue, removed on leaving it. */
function withQueueIndex(change: StatusChange): Fields {
  const set = change.set ?? {};
  if (change.to !== 'queued') return { ...set, queueKey: null, queueOrder: null };
  const priority = typeof set.priority === 'number' ? set.priority : 5;
  const queuedAt = typeof set.queuedAt === 'string' ? set.queuedAt : new Date().toISOString();
  const group = typeof set.groupId === 'string' ? set.groupId : undefined;
  return { ...set, queueKey: keys.queueKey(group), queueOrder: keys.queueOrder(priority, queuedAt) };
}

/**
 * RoutingStore on DynamoDB. Agents (pk = agent id), groups (pk = "group#<id>"), channel settings
 * (pk = "channel#<channelId>", versioned) and handling statistics (pk = "stats#<group>#<day>") live in the agents table; conversations in the conversations table. Every move of a
 * conversation between the queue and an agent is one TransactWriteItems over the conversation and the agent(s), each
 * with a condition: the conversation in the expected state, the receiving agent online with `load < capacity`. A
 * refused transaction changes nothing, and its cancellation reasons say which side refused.
 */
import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, ScanCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Conversation } from '../../domain/conversation/conversation.ts';
import type { Presence, RoutableAgent, RoutingGroup } from '../../domain/routing/routing.ts';
import type { Fields } from '../../ports/conversation.store.ts';
import type { AgentProfile, ChannelSettingsStore, MoveRefusal, RoutingStore } from '../../ports/routing.ts';
import { expressionOf, toConversation, updateParts } from './conversation.store.dynamodb.ts';
import { keys } from './keys.ts';

export interface RoutingStoreTables {
  readonly conversations: string;
  readonly agents: string;
}

const GROUP_PREFIX = 'group#';
const STATS_PREFIX = 'stats#';
const CALENDAR_PREFIX = 'calendar#';
const SLA_PREFIX = 'sla#';
const CHANNEL_PREFIX = 'channel#';
const STATS_TTL_SECONDS = 8 * 24 * 3600;
function toAgent(item: Record<string, unknown>): RoutableAgent {
  const { pk, ...rest } = item;
  void pk;
  return { load: 0, ...(rest as unknown as RoutableAgent) };
}

function withoutPk(item: Record<string, unknown>): Record<string, unknown> {
  const { pk, ...rest } = item;
  void pk;
  return rest;
}

function toGroup(item: Record<string, unknown>): RoutingGroup {
  const { pk, ...rest } = item;
  void pk;
  return rest as unknown as RoutingGroup;
}

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export class DynamoDbRoutingStore implements RoutingStore, ChannelSettingsStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: RoutingStoreTables,
  ) {}

  // ---- agents and groups ----

  async listAgents(): Promise<RoutableAgent[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.client.send(new ScanCommand({ TableName: this.tables.agents, ConsistentRead: true, ExclusiveStartKey: start }));
      items.push(...(res.Items ?? []));
      start = res.LastEvaluatedKey;
    } while (start);
    return items.filter((i) => !String(i.pk).includes('#')).map(toAgent);
  }

  async getAgent(agentId: string): Promise<RoutableAgent | undefined> {
    const res = await this.client.send(new GetCommand({ TableName: this.tables.agents, Key: { pk: agentId }, ConsistentRead: true }));
    return res.Item ? toAgent(res.Item) : undefined;
  }

  async putAgent(agent: RoutableAgent): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tables.agents, Item: { pk: agent.id, load: 0, ...agent } }));
  }

  async setPresence(agentId: string, presence: Presence, at: string, options: { onlyIfActiveBefore?: string } = {}): Promise<RoutableAgent | undefined> {
    // Set by the agent, going online counts as activity; set for inactivity, only if the agent did nothing since.
    const byInactivity = options.onlyIfActiveBefore !== undefined;
    try {
      const res = await this.client.send(
        new UpdateCommand({
          TableName: this.tables.agents,
          Key: { pk: agentId },
          UpdateExpression: `SET presence = :p, presenceAt = :at, missedOffers = :zero${presence === 'online' ? ', lastActiveAt = :at' : ''}`,
          ConditionExpression: byInactivity ? 'attribute_exists(pk) AND presence = :online AND lastActiveAt = :seen' : 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':p': presence, ':at': at, ':zero': 0, ...(byInactivity ? { ':online': 'online', ':seen': options.onlyIfActiveBefore } : {}) },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return res.Attributes ? toAgent(res.Attributes) : undefined;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return undefined;
      throw error;
    }
  }

  async touch(agentId: string, at: string, everyMs: number): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tables.agents,
          Key: { pk: agentId },
          UpdateExpression: 'SET lastActiveAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastActiveAt) OR lastActiveAt < :cutoff)',
          ExpressionAttributeValues: { ':at': at, ':cutoff': new Date(Date.parse(at) - everyMs).toISOString() },
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  async getGroup(groupId: string): Promise<RoutingGroup | undefined> {
    const res = await this.client.send(new GetCommand({ TableName: this.tables.agents, Key: { pk: `${GROUP_PREFIX}${groupId}` } }));
    return res.Item ? toGroup(res.Item) : undefined;
  }

  async listGroups(): Promise<RoutingGroup[]> {
    return (await this.scanPrefix(GROUP_PREFIX)).map(toGroup);
  }

  /** Every item of one kind in the agents table (a few dozen at most: groups, calendars, policies), all pages. */
  private async scanPrefix(prefix: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.client.send(
        new ScanCommand({ TableName: this.tables.agents, ConsistentRead: true, FilterExpression: 'begins_with(pk, :p)', ExpressionAttributeValues: { ':p': prefix }, ExclusiveStartKey: start }),
      );
      items.push(...(res.Items ?? []));
      start = res.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async putGroup(group: RoutingGroup): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tables.agents, Item: { pk: `${GROUP_PREFIX}${group.id}`, ...group } }));
  }

  // ---- the moves ----

  private seatTaken(agentId: string, at: string): TransactItem {
    return {
      Update: {
        TableName: this.tables.agents,
        Key: { pk: agentId },
        UpdateExpression: 'SET #load = if_not_exists(#load, :zero) + :one, lastAssignedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND presence = :online AND (attribute_not_exists(#load) OR #load < #capacity)',
        ExpressionAttributeNames: { '#load': 'load', '#capacity': 'capacity' },
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':online': 'online', ':at': at },
      },
    };
  }

  private seatFreed(agentId: string, extra: { missed?: boolean; accepted?: boolean } = {}): TransactItem {
    const sets = ['#load = #load - :one'];
    if (extra.missed) sets.push('missedOffers = if_not_exists(missedOffers, :zero) + :one');
    return {
      Update: {
        TableName: this.tables.agents,
        Key: { pk: agentId },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: '#load > :zero',
        ExpressionAttributeNames: { '#load': 'load' },
        ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
      },
    };
  }

  private conversationMove(
    conversationId: string,
    fields: Fields,
    condition: { status: string; equals?: Readonly<Record<string, string>>; absent?: readonly string[] },
  ): TransactItem {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':expectStatus': condition.status };
    const parts = updateParts(fields, 'f');
    Object.assign(names, parts.names);
    Object.assign(values, parts.values);
    const conditions = ['attribute_exists(pk)', '#status = :expectStatus'];
    Object.entries(condition.equals ?? {}).forEach(([name, value], i) => {
      names[`#c${i}`] = name;
      values[`:c${i}`] = value;
      conditions.push(`#c${i} = :c${i}`);
    });
    (condition.absent ?? []).forEach((name, i) => {
      names[`#a${i}`] = name;
      conditions.push(`attribute_not_exists(#a${i})`);
    });
    return {
      Update: {
        TableName: this.tables.conversations,
        Key: keys.conversation(conversationId),
        UpdateExpression: expressionOf(parts),
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  /** Runs the transaction; on a refusal, the index of the first item whose condition failed. */
  private async transact(items: TransactItem[]): Promise<number | undefined> {
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
      return undefined;
    } catch (error) {
      const reasons = (error as TransactionCanceledException).CancellationReasons;
      if ((error as { name?: string }).name === 'TransactionCanceledException' && reasons?.some((r) => r.Code === 'ConditionalCheckFailed')) {
        return reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
      }
      throw error;
    }
  }

  private async conversation(conversationId: string): Promise<Conversation | undefined> {
    const res = await this.client.send(new GetCommand({ TableName: this.tables.conversations, Key: keys.conversation(conversationId), ConsistentRead: true }));
    return res.Item ? toConversation(res.Item) : undefined;
  }

  async claimOffer(conversationId: string, agentId: string, at: string, set: Fields = {}): Promise<Conversation | MoveRefusal> {
    const failed = await this.transact([
      this.conversationMove(conversationId, { ...set, offeredAgentId: agentId, offeredAt: at, updatedAt: at }, { status: 'queued', absent: ['offeredAgentId'] }),
      this.seatTaken(agentId, at),
    ]);
    if (failed === 0) return 'conversation-unavailable';
    if (failed === 1) return 'agent-unavailable';
    return (await this.conversation(conversationId))!;
  }

  /**
   * Withdraws an offer and frees the seat. The release is conditional on the offer token it read, so a token parked by
   * the workflow in between is never wiped unseen: the release is retried and returns that token to its caller.
   */
  async releaseOffer(conversationId: string, agentId: string, outcome: 'declined' | 'expired', at: string): Promise<Conversation | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.conversation(conversationId);
      if (!current || current.status !== 'queued' || current.offeredAgentId !== agentId) return undefined;
      const passedOver = outcome === 'declined' ? [...new Set([...(current.passedOver ?? []), agentId])] : [...(current.passedOver ?? [])];
      const failed = await this.transact([
        this.conversationMove(
          conversationId,
          { offeredAgentId: null, offeredAt: null, offerToken: null, passedOver, updatedAt: at },
          current.offerToken ? { status: 'queued', equals: { offeredAgentId: agentId, offerToken: current.offerToken } } : { status: 'queued', equals: { offeredAgentId: agentId }, absent: ['offerToken'] },
        ),
        this.seatFreed(agentId, { missed: outcome === 'expired' }),
      ]);
      if (failed === undefined) return { ...current, offeredAgentId: undefined, passedOver };
      if (failed !== 0) return undefined;
    }
    return undefined;
  }

  async accept(conversationId: string, agentId: string, at: string): Promise<Conversation | MoveRefusal> {
    const current = await this.conversation(conversationId);
    if (!current || current.status !== 'queued') return 'conversation-unavailable';
    const fields: Fields = {
      status: 'agent',
      assignedAgentId: agentId,
      acceptedAt: at,
      updatedAt: at,
      offeredAgentId: null,
      offeredAt: null,
      // offerToken and waitToken stay: the caller completes the workflow step they belong to.
      queueKey: null,
      queueOrder: null,
    };
    const offeredTo = current.offeredAgentId;
    const items =
      offeredTo === agentId
        ? [this.conversationMove(conversationId, fields, { status: 'queued', equals: { offeredAgentId: agentId } }), this.agentTouched(agentId, at)]
        : offeredTo
          ? // Taken over from an agent who has it on offer: that agent's seat is freed in the same transaction.
            [this.conversationMove(conversationId, fields, { status: 'queued', equals: { offeredAgentId: offeredTo } }), this.seatTaken(agentId, at), this.seatFreed(offeredTo)]
          : [this.conversationMove(conversationId, fields, { status: 'queued', absent: ['offeredAgentId'] }), this.seatTaken(agentId, at)];
    const failed = await this.transact(items);
    if (failed === 0) return 'conversation-unavailable';
    if (failed === 1) return 'agent-unavailable';
    return (await this.conversation(conversationId))!;
  }

  /** An accepted offer: the seat is already held; the agent's missed-offer streak ends. */
  private agentTouched(agentId: string, at: string): TransactItem {
    return {
      Update: {
        TableName: this.tables.agents,
        Key: { pk: agentId },
        UpdateExpression: 'SET missedOffers = :zero, lastAssignedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':zero': 0, ':at': at },
      },
    };
  }

  async release(conversationId: string, agentId: string, move: { to: 'resolved' | 'queued'; set: Fields }): Promise<Conversation | undefined> {
    let fields: Fields = { ...move.set, status: move.to };
    if (move.to === 'resolved') fields = { ...fields, queueKey: null, queueOrder: null, assignedAgentId: move.set.assignedAgentId ?? agentId };
    else {
      const group = typeof move.set.groupId === 'string' ? move.set.groupId : 'default';
      const priority = typeof move.set.priority === 'number' ? move.set.priority : 5;
      const queuedAt = typeof move.set.queuedAt === 'string' ? move.set.queuedAt : new Date().toISOString();
      fields = { ...fields, assignedAgentId: null, queueKey: keys.queueKey(group), queueOrder: keys.queueOrder(priority, queuedAt) };
    }
    const failed = await this.transact([
      this.conversationMove(conversationId, fields, { status: 'agent', equals: { assignedAgentId: agentId } }),
      this.seatFreed(agentId),
    ]);
    return failed === undefined ? this.conversation(conversationId) : undefined;
  }

  async transfer(conversationId: string, fromAgentId: string, toAgentId: string, at: string): Promise<Conversation | MoveRefusal> {
    const failed = await this.transact([
      this.conversationMove(conversationId, { assignedAgentId: toAgentId, acceptedAt: at, updatedAt: at }, { status: 'agent', equals: { assignedAgentId: fromAgentId } }),
      this.seatFreed(fromAgentId),
      this.seatTaken(toAgentId, at),
    ]);
    if (failed === 0 || failed === 1) return 'conversation-unavailable';
    if (failed === 2) return 'agent-unavailable';
    return (await this.conversation(conversationId))!;
  }

  async parkOfferToken(conversationId: string, agentId: string, token: string): Promise<Conversation | undefined> {
    return this.conditionalSet(conversationId, { offerToken: token }, 'offeredAgentId = :agent', { ':agent': agentId });
  }

  async setQueueEntry(conversationId: string, entry: { groupId: string; priority: number; queuedAt: string }, set: Fields = {}): Promise<Conversation | undefined> {
    return this.conditionalSet(conversationId, {
      ...set,
      groupId: entry.groupId,
      priority: entry.priority,
      queuedAt: entry.queuedAt,
      queueKey: keys.queueKey(entry.groupId),
      queueOrder: keys.queueOrder(entry.priority, entry.queuedAt),
    });
  }

  /** Sets fields while the conversation is queued (and the extra condition holds). */
  private async conditionalSet(conversationId: string, fields: Fields, extra?: string, extraValues: Record<string, unknown> = {}): Promise<Conversation | undefined> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':queued': 'queued', ...extraValues };
    const parts = updateParts(fields, 'f');
    Object.assign(names, parts.names);
    Object.assign(values, parts.values);
    try {
      const res = await this.client.send(
        new UpdateCommand({
          TableName: this.tables.conversations,
          Key: keys.conversation(conversationId),
          UpdateExpression: expressionOf(parts),
          ConditionExpression: `attribute_exists(pk) AND #status = :queued${extra ? ` AND ${extra}` : ''}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return res.Attributes ? toConversation(res.Attributes) : undefined;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return undefined;
      throw error;
    }
  }

  async getCalendar(calendarId: string): Promise<unknown> {
    return this.getRaw(CALENDAR_PREFIX, calendarId);
  }

  async putCalendar(calendarId: string, calendar: object): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tables.agents, Item: { ...calendar, id: calendarId, pk: `${CALENDAR_PREFIX}${calendarId}` } }));
  }

  async listCalendars(): Promise<unknown[]> {
    return (await this.scanPrefix(CALENDAR_PREFIX)).map(withoutPk);
  }

  async getSlaPolicy(policyId: string): Promise<unknown> {
    return this.getRaw(SLA_PREFIX, policyId);
  }

  async putSlaPolicy(policyId: string, policy: object): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tables.agents, Item: { ...policy, id: policyId, pk: `${SLA_PREFIX}${policyId}` } }));
  }

  async listSlaPolicies(): Promise<unknown[]> {
    return (await this.scanPrefix(SLA_PREFIX)).map(withoutPk);
  }

  // ---- channel settings ----

  async getChannelSettings(channelId: string): Promise<(Record<string, unknown> & { version: number }) | undefined> {
    const raw = (await this.getRaw(CHANNEL_PREFIX, channelId)) as (Record<string, unknown> & { version: number }) | undefined;
    return raw;
  }

  async putChannelSettings(channelId: string, settings: object & { version: number }, expectedVersion: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tables.agents,
          Item: { ...settings, channelId, pk: `${CHANNEL_PREFIX}${channelId}` },
          ...(expectedVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: '#v = :v', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': expectedVersion } }),
        }),
      );
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  private async getRaw(prefix: string, id: string): Promise<unknown> {
    const res = await this.client.send(new GetCommand({ TableName: this.tables.agents, Key: { pk: `${prefix}${id}` }, ConsistentRead: true }));
    return res.Item ? withoutPk(res.Item) : undefined;
  }

  async parkWaitToken(conversationId: string, token: string): Promise<Conversation | undefined> {
    return this.conditionalSet(conversationId, { waitToken: token }, 'attribute_not_exists(offeredAgentId)');
  }

  async takeWaitToken(conversationId: string, token: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tables.conversations,
          Key: keys.conversation(conversationId),
          UpdateExpression: 'REMOVE waitToken',
          ConditionExpression: 'waitToken = :t',
          ExpressionAttributeValues: { ':t': token },
        }),
      );
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async recordHandling(groupId: string, seconds: number, at: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tables.agents,
        Key: { pk: `${STATS_PREFIX}${groupId}#${at.slice(0, 10)}` },
        UpdateExpression: 'ADD handled :one, handledSeconds :s SET expiresAt = :exp',
        ExpressionAttributeValues: { ':one': 1, ':s': Math.max(0, Math.round(seconds)), ':exp': Math.floor(Date.parse(at) / 1000) + STATS_TTL_SECONDS },
      }),
    );
  }

  /** Average over today and the day before (recent handling times, not all-time). */
  async averageHandlingSeconds(groupId: string, at: string): Promise<number | undefined> {
    const today = at.slice(0, 10);
    const yesterday = new Date(Date.parse(at) - 86_400_000).toISOString().slice(0, 10);
    let handled = 0;
    let seconds = 0;
    for (const day of [today, yesterday]) {
      const res = await this.client.send(new GetCommand({ TableName: this.tables.agents, Key: { pk: `${STATS_PREFIX}${groupId}#${day}` } }));
      handled += Number(res.Item?.handled ?? 0);
      seconds += Number(res.Item?.handledSeconds ?? 0);
    }
    return handled ? seconds / handled : undefined;
  }

  /**
   * One conditional UpdateItem that SETs the profile fields only (and REMOVEs the optional ones left out), so that a
   * concurrent offer, accept or presence change is never undone. The live fields are initialised only when absent
   * (`if_not_exists`): a new agent starts with load 0 and offline. The item keeps the shape the agent directory reads
   * (pk = agent id, plus the agent's fields), so GET /v1/agent/me works for an agent created here.
   */
  async saveAgentProfile(profile: AgentProfile, expect: 'new' | 'existing'): Promise<RoutableAgent | undefined> {
    const names: Record<string, string> = {
      '#id': 'id',
      '#name': 'name',
      '#skills': 'skills',
      '#groups': 'groups',
      '#languages': 'languages',
      '#capacity': 'capacity',
      '#load': 'load',
      '#presence': 'presence',
      '#email': 'email',
      '#skillLevels': 'skillLevels',
    };
    const values: Record<string, unknown> = {
      ':id': profile.id,
      ':name': profile.name,
      ':skills': [...profile.skills],
      ':groups': [...profile.groups],
      ':languages': [...profile.languages],
      ':capacity': profile.capacity,
      ':zero': 0,
      ':offline': 'offline',
    };
    const sets = ['#id = :id', '#name = :name', '#skills = :skills', '#groups = :groups', '#languages = :languages', '#capacity = :capacity'];
    sets.push('#load = if_not_exists(#load, :zero)', '#presence = if_not_exists(#presence, :offline)');
    const removes: string[] = [];
    if (profile.email !== undefined) {
      sets.push('#email = :email');
      values[':email'] = profile.email;
    } else removes.push('#email');
    if (profile.skillLevels !== undefined) {
      sets.push('#skillLevels = :skillLevels');
      values[':skillLevels'] = { ...profile.skillLevels };
    } else removes.push('#skillLevels');
    try {
      const res = await this.client.send(
        new UpdateCommand({
          TableName: this.tables.agents,
          Key: { pk: profile.id },
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: expect === 'new' ? 'attribute_not_exists(pk)' : 'attribute_exists(pk)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return res.Attributes ? toAgent(res.Attributes) : undefined;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return undefined;
      throw error;
    }
  }
}

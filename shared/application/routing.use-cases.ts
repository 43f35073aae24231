/**
 * Routing: the escalation workflow's steps and the agents' moves that change who holds a conversation.
 *
 *   Enqueue ─► Route ─► offered ─► WaitForAccept (task token, accept timeout) ─► accepted ─► RecordAssignment
 *     │          ▲  │                 │ declined / timed out ─► ExpireOffer ─┐
 *     │          │  └► waiting ─► WaitForCapacity (task token, until the deadline) ─► woken ─┐
 *     │          └──────────────────────────────────────────────────────────────────────────┘
 *     └► after hours / queue over its threshold / deadline passed ─► Overflow (secondary group) or LeaveOfflineMessage
 *
 * A conversation waiting for a seat parks a task token on itself; whatever frees a seat (resolve, decline, an expired
 * offer, an agent coming online, a transfer) drains the queue by completing the tokens of the conversations that agent
 * can take — there is no scan on a timer. Seats are claimed in the store's transactions (see ports/routing.ts).
 */
import type { Conversation } from '../domain/conversation/conversation.ts';
import { DomainError } from '../domain/errors.ts';
import { isOpen, nextOpening, parseCalendar, type BusinessCalendar } from '../domain/routing/business-calendar.ts';
import {
  DEFAULT_GROUP_ID,
  DEFAULT_HANDLING_SECONDS,
  DEFAULT_MAX_WAIT_SECONDS,
  eligibleAgents,
  estimatedWaitSeconds,
  formatWait,
  freeSlots,
  isInactive,
  materialChange,
  queuePriority,
  rankAgents,
  serveOrder,
  type Presence,
  type RoutableAgent,
  type RoutingGroup,
} from '../domain/routing/routing.ts';
import type { CustomerDirectory } from '../ports/directory.ts';
import type { WorkflowGateway } from '../ports/gateways.ts';
import type { RoutingStore } from '../ports/routing.ts';
import type { TicketStore } from '../ports/tickets.ts';
import { AGENTS_AUDIENCE, conversationAudience } from './conversation.use-cases.ts';
import { mustGet, systemMessage, zh, type EscalationDeps } from './escalation.use-cases.ts';

export interface RoutingSettings {
  /** Offers made in one handoff before the conversation overflows or becomes an offline message. */
  readonly maxOffers: number;
  /** Offers an agent lets expire in a row before the agent is set away (presence by inactivity). */
  readonly missedOffersAway: number;
  /** Minutes without console activity after which an online agent is set away (0: never). */
  readonly idleAwayMinutes?: number;
}

export const DEFAULT_ROUTING_SETTINGS: RoutingSettings = { maxOffers: 3, missedOffersAway: 2, idleAwayMinutes: 30 };

/**
 * The agents as routing must see them: an online agent silent for longer than the idle window is set away here,
 * when routing first meets them (no scan, no timer), and told so on the console.
 */
async function routableAgents(deps: Pick<RoutingDeps, 'routing' | 'clock' | 'live' | 'settings'>): Promise<RoutableAgent[]> {
  const now = deps.clock.now();
  const idle = (deps.settings ?? DEFAULT_ROUTING_SETTINGS).idleAwayMinutes ?? DEFAULT_ROUTING_SETTINGS.idleAwayMinutes!;
  return Promise.all(
    (await deps.routing.listAgents()).map(async (agent) => {
      if (!isInactive(agent, now, idle)) return agent;
      const away = await deps.routing.setPresence(agent.id, 'away', now.toISOString(), { onlyIfActiveBefore: agent.lastActiveAt! });
      if (away) await deps.live.publish(AGENTS_AUDIENCE, { type: 'presence', agentId: agent.id, presence: 'away', reason: 'inactive' });
      return { ...agent, presence: 'away' as const };
    }),
  );
}

export interface RoutingDeps extends EscalationDeps {
  readonly routing: RoutingStore;
  readonly workflows: WorkflowGateway;
  readonly customers?: CustomerDirectory;
  readonly settings?: RoutingSettings;
}

const defaultGroup: RoutingGroup = { id: DEFAULT_GROUP_ID, name: 'Default' };

async function groupOf(deps: Pick<RoutingDeps, 'routing'>, groupId: string | undefined): Promise<RoutingGroup> {
  const id = groupId ?? DEFAULT_GROUP_ID;
  return (await deps.routing.getGroup(id)) ?? { ...defaultGroup, id };
}

async function calendarOf(deps: Pick<RoutingDeps, 'routing'>, group: RoutingGroup): Promise<BusinessCalendar | undefined> {
  if (!group.calendarId) return undefined;
  const raw = await deps.routing.getCalendar(group.calendarId);
  return raw ? parseCalendar(raw) : undefined;
}

function needOf(conversation: Conversation) {
  return {
    groupId: conversation.groupId ?? DEFAULT_GROUP_ID,
    ...(conversation.neededSkill ? { skill: conversation.neededSkill } : {}),
    ...(conversation.language ? { language: conversation.language } : {}),
    exclude: conversation.passedOver ?? [],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Workflow steps

export type EnqueueRoute = 'route' | 'overflow' | 'offline' | 'gone';

/**
 * Workflow step: the conversation enters its group's queue with its priority (emotion from the policy, VIP tier,
 * channel); outside the group's business hours it goes to an offline message, past the queue threshold to overflow.
 */
export function makeEnqueue(deps: RoutingDeps) {
  return async (input: { conversationId: string; reason: string; priority: number }): Promise<{ route: EnqueueRoute; position?: number; opensAt?: string | null }> => {
    const conversation = await mustGet(deps.store, input.conversationId);
    if (conversation.status !== 'queued') return { route: 'gone' };
    const now = deps.clock.now();
    const group = await groupOf(deps, conversation.groupId);
    const customer = deps.customers ? await deps.customers.get(conversation.customerId) : undefined;
    const priority = queuePriority({ base: input.priority, ...(customer ? { tier: customer.tier } : {}), channel: conversation.channel });
    const deadlineAt = new Date(now.getTime() + (group.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS) * 1000).toISOString();
    const queuedAt = conversation.queuedAt ?? now.toISOString();
    const entered = await deps.routing.setQueueEntry(conversation.id, { groupId: group.id, priority, queuedAt }, { deadlineAt, offers: 0, passedOver: [], overflowed: false, toldPosition: null, toldEtaSeconds: null });
    if (!entered) return { route: 'gone' };
    const calendar = await calendarOf(deps, group);
    if (calendar && !isOpen(calendar, now)) {
      const opensAt = nextOpening(calendar, now)?.toISOString() ?? null;
      await deps.store.recordEvent(conversation.id, { type: 'queued.after-hours', at: now.toISOString(), actor: 'workflow', detail: { groupId: group.id, opensAt } });
      return { route: group.overflowGroupId ? 'overflow' : 'offline', opensAt };
    }
    const queue = await deps.store.listQueue(500, group.id);
    await deps.store.recordEvent(conversation.id, { type: 'queued', at: now.toISOString(), actor: 'workflow', detail: { reason: input.reason, priority, groupId: group.id, queueLength: queue.length } });
    await deps.live.publish(AGENTS_AUDIENCE, { type: 'queue.changed', conversationId: conversation.id, change: 'added', groupId: group.id });
    if (group.maxQueue !== undefined && queue.length > group.maxQueue) return { route: 'overflow' };
    const told = await announcePositions(deps, group.id, conversation.id);
    return { route: 'route', ...(told !== undefined ? { position: told } : {}) };
  };
}

export type RouteOutcome = { outcome: 'offered'; agentId: string } | { outcome: 'waiting'; waitSeconds: number } | { outcome: 'overflow' } | { outcome: 'gone' };

/** Workflow step: offer the conversation to the best eligible agent (claiming the seat), or report that it must wait. */
export function makeRoute(deps: RoutingDeps) {
  return async (input: { conversationId: string; maxOffers?: number }): Promise<RouteOutcome> => {
    const settings = deps.settings ?? DEFAULT_ROUTING_SETTINGS;
    const maxOffers = input.maxOffers ?? settings.maxOffers;
    const conversation = await mustGet(deps.store, input.conversationId);
    if (conversation.status !== 'queued') return { outcome: 'gone' };
    // A retried step whose first attempt claimed a seat and failed afterwards: the offer stands, wait on it.
    if (conversation.offeredAgentId) return { outcome: 'offered', agentId: conversation.offeredAgentId };
    const now = deps.clock.now();
    const remaining = conversation.deadlineAt ? Math.floor((Date.parse(conversation.deadlineAt) - now.getTime()) / 1000) : DEFAULT_MAX_WAIT_SECONDS;
    if (remaining <= 0 || (conversation.offers ?? 0) >= maxOffers) return { outcome: 'overflow' };
    const need = needOf(conversation);
    for (const agent of rankAgents(eligibleAgents(await routableAgents(deps), need), need)) {
      const offered = await deps.routing.claimOffer(conversation.id, agent.id, now.toISOString(), { offers: (conversation.offers ?? 0) + 1 });
      if (offered === 'conversation-unavailable') return { outcome: 'gone' };
      if (offered === 'agent-unavailable') continue;
      await deps.store.recordEvent(conversation.id, { type: 'offered', at: now.toISOString(), actor: 'workflow', detail: { agentId: agent.id, attempt: offered.offers ?? 1 } });
      await deps.live.publish(AGENTS_AUDIENCE, { type: 'offer', conversationId: conversation.id, agentId: agent.id, priority: conversation.priority ?? 5 });
      return { outcome: 'offered', agentId: agent.id };
    }
    return { outcome: 'waiting', waitSeconds: Math.max(1, remaining) };
  };
}

/** Workflow step (waitForTaskToken): the offer's token waits on the conversation for the agent's accept or decline. */
export function makeParkOffer(deps: RoutingDeps) {
  return async (input: { conversationId: string; agentId: string; taskToken: string }) => {
    const parked = await deps.routing.parkOfferToken(input.conversationId, input.agentId, input.taskToken);
    if (parked) return { parked: true };
    // The agent answered before the token was parked: complete the step with what happened.
    const conversation = await mustGet(deps.store, input.conversationId);
    const outcome = conversation.status === 'agent' && conversation.assignedAgentId === input.agentId ? 'accepted' : conversation.status === 'queued' ? 'declined' : 'gone';
    await deps.workflows.completeTask(input.taskToken, { outcome, agentId: conversation.assignedAgentId ?? null });
    return { parked: false, outcome };
  };
}

/**
 * Workflow step (waitForTaskToken): no agent can take the conversation now, so its token waits for a free seat. A
 * seat freed between the Route step and this one is seen here (the re-check after parking), so no wake-up is lost.
 */
export function makeParkWait(deps: RoutingDeps) {
  return async (input: { conversationId: string; taskToken: string }) => {
    const parked = await deps.routing.parkWaitToken(input.conversationId, input.taskToken);
    if (!parked) {
      const conversation = await mustGet(deps.store, input.conversationId);
      const outcome = conversation.status === 'agent' ? 'accepted' : conversation.status === 'queued' ? 'woken' : 'gone';
      await deps.workflows.completeTask(input.taskToken, { outcome, agentId: conversation.assignedAgentId ?? null });
      return { parked: false, outcome };
    }
    if (eligibleAgents(await routableAgents(deps), needOf(parked)).length && (await deps.routing.takeWaitToken(parked.id, input.taskToken))) {
      await deps.workflows.completeTask(input.taskToken, { outcome: 'woken' });
      return { parked: false, outcome: 'woken' };
    }
    return { parked: true };
  };
}

/** Workflow step after an offer's accept timeout: the agent loses the offer (and, after enough misses, goes away). */
export function makeExpireOffer(deps: RoutingDeps) {
  return async (input: { conversationId: string; agentId: string }) => {
    const settings = deps.settings ?? DEFAULT_ROUTING_SETTINGS;
    const now = deps.clock.now().toISOString();
    const released = await deps.routing.releaseOffer(input.conversationId, input.agentId, 'expired', now);
    if (!released) return { expired: false };
    await deps.store.recordEvent(input.conversationId, { type: 'offer.expired', at: now, actor: 'workflow', detail: { agentId: input.agentId } });
    await deps.live.publish(AGENTS_AUDIENCE, { type: 'offer.withdrawn', conversationId: input.conversationId, agentId: input.agentId, reason: 'expired' });
    const agent = await deps.routing.getAgent(input.agentId);
    if (agent && agent.presence === 'online' && (agent.missedOffers ?? 0) >= settings.missedOffersAway) {
      await deps.routing.setPresence(agent.id, 'away', now);
      await deps.live.publish(AGENTS_AUDIENCE, { type: 'presence', agentId: agent.id, presence: 'away', reason: 'missed_offers' });
    } else {
      await drainFor(deps, input.agentId);
    }
    return { expired: true };
  };
}

/** Workflow step after the wait: the conversation is accepted; the audit trail records who took it. */
export function makeRecordAssignment(deps: RoutingDeps) {
  return async (input: { conversationId: string; agentId: string | null }) => {
    await deps.store.update(input.conversationId, { offerToken: null }, ['agent', 'resolved']);
    await deps.store.recordEvent(input.conversationId, { type: 'assigned', at: deps.clock.now().toISOString(), actor: 'workflow', detail: { agentId: input.agentId } });
    return { recorded: true };
  };
}

/**
 * Workflow step: the group cannot take the conversation (after hours, over its queue threshold, past the maximum
 * wait or the offers): it moves once to the group's overflow group, with a new deadline, or ends as an offline message.
 */
export function makeOverflow(deps: RoutingDeps) {
  return async (input: { conversationId: string }): Promise<{ outcome: 'rerouted' | 'offline' | 'gone'; groupId?: string }> => {
    const conversation = await mustGet(deps.store, input.conversationId);
    if (conversation.status !== 'queued') return { outcome: 'gone' };
    const group = await groupOf(deps, conversation.groupId);
    if (!group.overflowGroupId || conversation.overflowed) return { outcome: 'offline' };
    const target = await groupOf(deps, group.overflowGroupId);
    const calendar = await calendarOf(deps, target);
    const now = deps.clock.now();
    if (calendar && !isOpen(calendar, now)) return { outcome: 'offline' };
    const moved = await deps.routing.setQueueEntry(
      conversation.id,
      { groupId: target.id, priority: conversation.priority ?? 5, queuedAt: conversation.queuedAt ?? now.toISOString() },
      { overflowed: true, offers: 0, passedOver: [], deadlineAt: new Date(now.getTime() + (target.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS) * 1000).toISOString(), toldPosition: null, toldEtaSeconds: null },
    );
    if (!moved) return { outcome: 'gone' };
    await deps.store.recordEvent(conversation.id, { type: 'overflow', at: now.toISOString(), actor: 'workflow', detail: { from: group.id, to: target.id } });
    await deps.live.publish(AGENTS_AUDIENCE, { type: 'queue.changed', conversationId: conversation.id, change: 'moved', groupId: target.id });
    await announcePositions(deps, target.id, conversation.id);
    return { outcome: 'rerouted', groupId: target.id };
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Draining the queue and telling customers where they stand

/**
 * A seat of this agent may be free: wake as many waiting conversations as the agent has free seats, in serving order,
 * among those the agent may take. Each woken workflow runs its Route step, which claims the seat atomically.
 */
export async function drainFor(deps: RoutingDeps, agentId: string): Promise<number> {
  const agent = await deps.routing.getAgent(agentId);
  if (!agent || freeSlots(agent) === 0) return 0;
  let woken = 0;
  const now = deps.clock.now();
  for (const groupId of agent.groups) {
    const waiting = serveOrder(await deps.store.listQueue(100, groupId), now).filter((c) => c.waitToken && !c.offeredAgentId);
    for (const conversation of waiting) {
      if (woken >= freeSlots(agent)) return woken;
      if (!eligibleAgents([agent], needOf(conversation)).length) continue;
      const token = conversation.waitToken!;
      if (!(await deps.routing.takeWaitToken(conversation.id, token))) continue;
      await deps.workflows.completeTask(token, { outcome: 'woken', by: agentId });
      woken++;
    }
  }
  return woken;
}

/**
 * Tells queued customers of a group their position and estimated wait when it changed materially since they were last
 * told (always for `newcomer`). Returns the newcomer's position.
 */
export async function announcePositions(deps: RoutingDeps, groupId: string, newcomer?: string): Promise<number | undefined> {
  const now = deps.clock.now();
  const queue = serveOrder(await deps.store.listQueue(200, groupId), now);
  const agents = (await routableAgents(deps)).filter((a) => a.groups.includes(groupId) && a.presence === 'online');
  const seats = agents.reduce((sum, a) => sum + a.capacity, 0);
  const aht = (await deps.routing.averageHandlingSeconds(groupId, now.toISOString())) ?? DEFAULT_HANDLING_SECONDS;
  let newcomerPosition: number | undefined;
  for (const [i, conversation] of queue.entries()) {
    const position = i + 1;
    if (conversation.id === newcomer) newcomerPosition = position;
    const etaSeconds = estimatedWaitSeconds(position, seats, aht);
    const told = { ...(conversation.toldPosition !== undefined ? { position: conversation.toldPosition } : {}), ...(conversation.toldEtaSeconds !== undefined ? { etaSeconds: conversation.toldEtaSeconds } : {}) };
    if (conversation.id !== newcomer && !materialChange(told, { position, etaSeconds })) continue;
    const updated = await deps.store.update(conversation.id, { toldPosition: position, toldEtaSeconds: etaSeconds }, ['queued']);
    if (!updated) continue;
    const language = zh(conversation) ? 'zh' : 'en';
    const text =
      language === 'zh'
        ? `您当前排在第 ${position} 位，预计等待${formatWait(etaSeconds, 'zh')}。`
        : `You are number ${position} in the queue; estimated wait ${formatWait(etaSeconds, 'en')}.`;
    await systemMessage(deps, conversation.id, text, `position#${conversation.id}#${conversation.handoffs}#${position}`);
    await deps.live.publish(conversationAudience(conversation.id), { type: 'queue.position', conversationId: conversation.id, position, etaSeconds });
  }
  return newcomerPosition;
}

// ---------------------------------------------------------------------------------------------------------------
// Agents' moves

async function mustAgent(deps: Pick<RoutingDeps, 'routing'>, agentId: string): Promise<RoutableAgent> {
  const agent = await deps.routing.getAgent(agentId);
  if (!agent) throw new DomainError('AGENT.NOT_FOUND', `agent ${agentId} is not in the directory`);
  return agent;
}

export function makeSetPresence(deps: RoutingDeps) {
  return async (input: { agentId: string; presence: Presence }) => {
    const agent = await deps.routing.setPresence(input.agentId, input.presence, deps.clock.now().toISOString());
    if (!agent) throw new DomainError('AGENT.NOT_FOUND', `agent ${input.agentId} is not in the directory`);
    await deps.live.publish(AGENTS_AUDIENCE, { type: 'presence', agentId: agent.id, presence: agent.presence });
    const woken = agent.presence === 'online' ? await drainFor(deps, agent.id) : 0;
    return { agentId: agent.id, presence: agent.presence, load: agent.load ?? 0, capacity: agent.capacity, woken };
  };
}

/**
 * Accept an offer made to this agent, or pick a waiting conversation from the queue (the seat is claimed then; an
 * offer standing for another agent is withdrawn in the same transaction, so the first to act gets it).
 */
export function makeAcceptConversation(deps: RoutingDeps) {
  return async (input: { conversationId: string; agentId: string }) => {
    const agent = await mustAgent(deps, input.agentId);
    const now = deps.clock.now().toISOString();
    const before = await mustGet(deps.store, input.conversationId);
    if (before.status === 'agent' && before.assignedAgentId === agent.id) return { conversationId: before.id, status: before.status, assignedAgentId: agent.id };
    const accepted = await deps.routing.accept(input.conversationId, agent.id, now);
    if (accepted === 'agent-unavailable') {
      throw new DomainError('AGENT.AT_CAPACITY', agent.presence === 'online' ? `you already hold ${agent.capacity} conversations (your capacity)` : `you are ${agent.presence}; go online to take conversations`);
    }
    if (accepted === 'conversation-unavailable') {
      const current = await mustGet(deps.store, input.conversationId);
      if (current.status === 'agent' && current.assignedAgentId === agent.id) return { conversationId: current.id, status: current.status, assignedAgentId: agent.id };
      if (current.status === 'agent') throw new DomainError('CONVERSATION.ALREADY_ASSIGNED', `conversation ${current.id} was accepted by another agent`);
      if (current.status === 'queued') throw new DomainError('CONVERSATION.OFFERED_TO_ANOTHER', `conversation ${current.id} is offered to another agent right now`);
      throw new DomainError('CONVERSATION.NOT_QUEUED', `conversation ${current.id} is ${current.status}, not queued`, { status: current.status });
    }
    // Complete whichever step of the workflow is waiting: the offer's, or the wait for a seat (picked from the queue).
    // The tokens are read after the accept (not before): a step that parked its token in between is completed here,
    // and one that parks later finds the conversation taken and completes itself (its park is conditional on 'queued').
    if (accepted.offerToken) await deps.workflows.completeTask(accepted.offerToken, { outcome: 'accepted', agentId: agent.id });
    else if (accepted.waitToken && (await deps.routing.takeWaitToken(accepted.id, accepted.waitToken))) await deps.workflows.completeTask(accepted.waitToken, { outcome: 'accepted', agentId: agent.id });
    await deps.store.recordEvent(accepted.id, { type: 'accepted', at: now, actor: `agent:${agent.id}`, detail: { offered: before.offeredAgentId === agent.id, ...(before.offeredAgentId && before.offeredAgentId !== agent.id ? { offerWithdrawnFrom: before.offeredAgentId } : {}) } });
    const text = zh(accepted) ? `人工客服 ${agent.name} 正在为您服务。` : `${agent.name} from customer service is here to help.`;
    await systemMessage(deps, accepted.id, text, `accept#${accepted.id}#${accepted.handoffs}`);
    await deps.live.publish(conversationAudience(accepted.id), { type: 'status', conversationId: accepted.id, status: 'agent', agentName: agent.name });
    await deps.live.publish(AGENTS_AUDIENCE, { type: 'queue.changed', conversationId: accepted.id, change: 'removed', agentId: agent.id });
    await announcePositions(deps, accepted.groupId ?? DEFAULT_GROUP_ID);
    return { conversationId: accepted.id, status: accepted.status, assignedAgentId: agent.id };
  };
}

/** Decline an offer: the seat is freed, the conversation goes to the next agent (never back to this one in this handoff). */
export function makeDeclineOffer(deps: RoutingDeps) {
  return async (input: { conversationId: string; agentId: string }) => {
    const now = deps.clock.now().toISOString();
    const before = await mustGet(deps.store, input.conversationId);
    if (before.status !== 'queued' || before.offeredAgentId !== input.agentId) throw new DomainError('CONVERSATION.NOT_OFFERED_TO_YOU', `conversation ${input.conversationId} is not offered to you`);
    const released = await deps.routing.releaseOffer(input.conversationId, input.agentId, 'declined', now);
    if (!released) throw new DomainError('CONVERSATION.NOT_OFFERED_TO_YOU', `conversation ${input.conversationId} is not offered to you`);
    await deps.store.recordEvent(input.conversationId, { type: 'offer.declined', at: now, actor: `agent:${input.agentId}` });
    if (released.offerToken) await deps.workflows.completeTask(released.offerToken, { outcome: 'declined', agentId: input.agentId });
    await drainFor(deps, input.agentId);
    return { conversationId: input.conversationId, declined: true };
  };
}

/** Resolve: the conversation ends, the agent's seat frees up and the queue drains into it. */
export function makeResolveConversation(deps: RoutingDeps) {
  return async (input: { conversationId: string; agentId: string }) => {
    const conversation = await mustGet(deps.store, input.conversationId);
    if (conversation.status === 'resolved') return { conversationId: conversation.id, status: conversation.status };
    if (conversation.status !== 'agent' || conversation.assignedAgentId !== input.agentId) {
      throw new DomainError('CONVERSATION.NOT_ASSIGNED_TO_YOU', `conversation ${conversation.id} is not assigned to you`);
    }
    const now = deps.clock.now().toISOString();
    const resolved = await deps.routing.release(conversation.id, input.agentId, { to: 'resolved', set: { resolvedAt: now, resolution: 'agent', updatedAt: now } });
    if (!resolved) throw new DomainError('CONVERSATION.NOT_ASSIGNED_TO_YOU', `conversation ${conversation.id} is not assigned to you`);
    const handled = conversation.acceptedAt ? (Date.parse(now) - Date.parse(conversation.acceptedAt)) / 1000 : undefined;
    if (handled !== undefined) await deps.routing.recordHandling(conversation.groupId ?? DEFAULT_GROUP_ID, handled, now);
    await deps.store.recordEvent(conversation.id, { type: 'resolved', at: now, actor: `agent:${input.agentId}`, ...(handled !== undefined ? { detail: { handlingSeconds: Math.round(handled) } } : {}) });
    const text = zh(conversation) ? '本次会话已结束，感谢您的耐心。如有其他问题，欢迎随时留言。' : 'This conversation is resolved. Thank you for your patience; write again any time.';
    await systemMessage(deps, conversation.id, text, `resolve#${conversation.id}#${conversation.handoffs}`);
    await deps.live.publish(conversationAudience(conversation.id), { type: 'status', conversationId: conversation.id, status: 'resolved' });
    await deps.live.publish(AGENTS_AUDIENCE, { type: 'agent.load', agentId: input.agentId, change: -1 });
    await drainFor(deps, input.agentId);
    return { conversationId: conversation.id, status: 'resolved' as const };
  };
}

/**
 * Transfer to another agent (seats move with it, the receiving agent must have one) or to a group's queue (a new
 * escalation starts there). The conversation, and so its whole transcript, stays the same.
 */
export function makeTransferConversation(deps: RoutingDeps) {
  return async (input: { conversationId: string; agentId: string; to: { agentId: string } | { groupId: string }; note?: string; bySupervisor?: boolean }) => {
    const conversation = await mustGet(deps.store, input.conversationId);
    const from = input.bySupervisor ? conversation.assignedAgentId : input.agentId;
    if (conversation.status !== 'agent' || !from || conversation.assignedAgentId !== from) {
      throw new DomainError('CONVERSATION.NOT_ASSIGNED_TO_YOU', `conversation ${conversation.id} is not assigned to ${input.bySupervisor ? 'an agent' : 'you'}`);
    }
    const now = deps.clock.now().toISOString();
    const actor = `${input.bySupervisor ? 'supervisor' : 'agent'}:${input.agentId}`;
    if ('agentId' in input.to) {
      if (input.to.agentId === from) throw new DomainError('REQUEST.VALIDATION_FAILED', 'the conversation is already with that agent', { field: 'to.agentId' });
      const target = await mustAgent(deps, input.to.agentId);
      const moved = await deps.routing.transfer(conversation.id, from, target.id, now);
      if (moved === 'agent-unavailable') throw new DomainError('AGENT.AT_CAPACITY', `${target.name} is ${target.presence === 'online' ? 'at capacity' : target.presence}`);
      if (moved === 'conversation-unavailable') throw new DomainError('CONVERSATION.NOT_ASSIGNED_TO_YOU', `conversation ${conversation.id} moved meanwhile`);
      await deps.store.recordEvent(conversation.id, { type: 'transferred', at: now, actor, detail: { from, to: target.id, ...(input.note ? { note: input.note } : {}) } });
      const text = zh(conversation) ? `已为您转接至客服 ${target.name}。` : `You have been transferred to ${target.name}.`;
      await systemMessage(deps, conversation.id, text, `transfer#${conversation.id}#${now}`);
      await deps.live.publish(AGENTS_AUDIENCE, { type: 'transferred', conversationId: conversation.id, from, to: target.id });
      await deps.live.publish(conversationAudience(conversation.id), { type: 'status', conversationId: conversation.id, status: 'agent', agentName: target.name });
      await drainFor(deps, from);
      return { conversationId: conversation.id, status: 'agent' as const, assignedAgentId: target.id };
    }
    const group = await deps.routing.getGroup(input.to.groupId);
    if (!group) throw new DomainError('GROUP.NOT_FOUND', `group ${input.to.groupId} does not exist`);
    const handoffs = conversation.handoffs + 1;
    const requeued = await deps.routing.release(conversation.id, from, {
      to: 'queued',
      set: { groupId: group.id, priority: conversation.priority ?? 5, queuedAt: now, handoffs, acceptedAt: null, offerToken: null, updatedAt: now, handoffReason: 'transfer' },
    });
    if (!requeued) throw new DomainError('CONVERSATION.NOT_ASSIGNED_TO_YOU', `conversation ${conversation.id} moved meanwhile`);
    await deps.store.recordEvent(conversation.id, { type: 'transferred', at: now, actor, detail: { from, toGroup: group.id, ...(input.note ? { note: input.note } : {}) } });
    await deps.workflows.startEscalation(`${conversation.id}-handoff-${handoffs}`, { conversationId: conversation.id, reason: 'transfer', priority: conversation.priority ?? 5, maxOffers: (deps.settings ?? DEFAULT_ROUTING_SETTINGS).maxOffers });
    const text = zh(conversation) ? `正在为您转接至「${group.name}」，请稍候。` : `Transferring you to ${group.name}; one moment please.`;
    await systemMessage(deps, conversation.id, text, `transfer#${conversation.id}#${now}`);
    await deps.live.publish(conversationAudience(conversation.id), { type: 'status', conversationId: conversation.id, status: 'queued' });
    await drainFor(deps, from);
    return { conversationId: conversation.id, status: 'queued' as const, groupId: group.id };
  };
}

/** A ticket whose next SLA clock is due within this many minutes counts as at risk on the floor. */
export const SLA_AT_RISK_MINUTES = 30;

/**
 * The floor for supervisors: per group, waiting conversations and the longest wait; per agent, presence and load;
 * tickets whose SLA is breached or at risk (due within SLA_AT_RISK_MINUTES), from the by-status index (no scan).
 */
export function makeFloorView(deps: Pick<RoutingDeps, 'routing' | 'store' | 'clock' | 'live' | 'settings'> & { tickets?: Pick<TicketStore, 'search'> }) {
  return async () => {
    const now = deps.clock.now();
    const [agents, groups, slaTickets] = await Promise.all([routableAgents(deps), deps.routing.listGroups(), ticketsDueSoon(deps, now)]);
    const groupIds = [...new Set([DEFAULT_GROUP_ID, ...groups.map((g) => g.id), ...agents.flatMap((a) => a.groups)])];
    const waiting: Conversation[] = [];
    const queues = await Promise.all(
      groupIds.map(async (id) => {
        const queue = await deps.store.listQueue(500, id);
        waiting.push(...queue);
        const longest = queue.reduce((max, c) => Math.max(max, c.queuedAt ? now.getTime() - Date.parse(c.queuedAt) : 0), 0);
        const group = groups.find((g) => g.id === id);
        return { groupId: id, name: group?.name ?? id, outsourced: group?.outsourced ?? false, waiting: queue.length, offered: queue.filter((c) => c.offeredAgentId).length, longestWaitSeconds: Math.round(longest / 1000) };
      }),
    );
    // The chats being served, for the supervisor to watch and reassign (one index query per agent holding any).
    const served = (await Promise.all(agents.filter((a) => (a.load ?? 0) > 0).map((a) => deps.store.listAssigned(a.id, 100)))).flat();
    const conversationView = (c: Conversation) => ({
      id: c.id,
      status: c.status,
      channel: c.channel,
      groupId: c.groupId ?? DEFAULT_GROUP_ID,
      priority: c.priority ?? 5,
      ...(c.assignedAgentId && c.status === 'agent' ? { assignedAgentId: c.assignedAgentId } : {}),
      ...(c.offeredAgentId ? { offeredAgentId: c.offeredAgentId } : {}),
      ...(c.queuedAt ? { queuedAt: c.queuedAt } : {}),
      ...(c.acceptedAt && c.status === 'agent' ? { acceptedAt: c.acceptedAt } : {}),
      ...(c.handoffReason ? { handoffReason: c.handoffReason } : {}),
      ...(c.mood ? { mood: { emotion: c.mood.emotion, trend: c.mood.trend } } : {}),
      ...(c.lastMessageAt ? { lastMessageAt: c.lastMessageAt } : {}),
    });
    const breached = slaTickets.filter((t) => Date.parse(t.dueAt!) <= now.getTime());
    const atRisk = slaTickets.filter((t) => Date.parse(t.dueAt!) > now.getTime());
    const view = (t: (typeof slaTickets)[number]) => ({ id: t.id, subject: t.subject, priority: t.priority, status: t.status, dueAt: t.dueAt!, ...(t.groupId ? { groupId: t.groupId } : {}), ...(t.assigneeId ? { assigneeId: t.assigneeId } : {}) });
    return {
      queues,
      sla: { atRiskMinutes: SLA_AT_RISK_MINUTES, breached: breached.length, atRisk: atRisk.length, tickets: [...breached, ...atRisk].slice(0, 20).map(view) },
      agents: agents.map((a) => ({ id: a.id, name: a.name, presence: a.presence, load: a.load ?? 0, capacity: a.capacity, groups: a.groups, skills: a.skills, ...(a.lastActiveAt ? { lastActiveAt: a.lastActiveAt } : {}) })),
      conversations: [...serveOrder(waiting, now), ...served].map(conversationView),
    };
  };
}

/** Active tickets (new or open) due within the at-risk window or already overdue, soonest first. */
async function ticketsDueSoon(deps: { tickets?: Pick<TicketStore, 'search'> }, now: Date) {
  if (!deps.tickets) return [];
  const dueBefore = new Date(now.getTime() + SLA_AT_RISK_MINUTES * 60_000).toISOString();
  const pages = await Promise.all((['new', 'open'] as const).map((status) => deps.tickets!.search({ by: 'status', status, dueBefore }, { limit: 100 })));
  return pages.flatMap((p) => p.items).filter((t) => t.dueAt).sort((a, b) => a.dueAt!.localeCompare(b.dueAt!));
}

/** The agent used the console: remembered to the minute (one conditional write a minute at most), for presence by inactivity. */
export function makeTouchAgent(deps: Pick<RoutingDeps, 'routing' | 'clock'>) {
  return async (agentId: string): Promise<void> => {
    await deps.routing.touch(agentId, deps.clock.now().toISOString(), 60_000);
  };
}

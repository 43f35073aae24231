/**
 * The routing invariants under contention, on DynamoDB Local: 200 conversations, 20 agents of capacity 3, 10 routers
 * running the real use cases in parallel (offer, accept, decline, expire, pick from the queue, resolve, transfer). At
 * no moment may an agent hold more than its capacity, and no conversation may be accepted twice; at the end every
 * seat is free again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTables, startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { DynamoDbConversationStore } from '../../shared/adapters/dynamodb/conversation.store.dynamodb.ts';
import { DynamoDbRoutingStore } from '../../shared/adapters/dynamodb/routing.dynamodb.ts';
import {
  makeAcceptConversation,
  makeDeclineOffer,
  makeExpireOffer,
  makeResolveConversation,
  makeRoute,
  makeTouchAgent,
  makeTransferConversation,
  type RoutingDeps,
} from '../../shared/application/routing.use-cases.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import type { Conversation } from '../../shared/domain/conversation/conversation.ts';

let ddb: DynamoDbLocal;
let deps: RoutingDeps;
let routing: DynamoDbRoutingStore;
let store: DynamoDbConversationStore;

const CONVERSATIONS = 200;
const AGENTS = 20;
const CAPACITY = 3;
const ROUTERS = 10;

let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

beforeAll(async () => {
  ddb = await startDynamoDbLocal();
  const tables = await createTables(ddb.client, 'race');
  const client = DynamoDBDocumentClient.from(ddb.client);
  store = new DynamoDbConversationStore(client, { conversations: tables.conversations, messages: tables.messages, idempotency: tables.idempotency });
  routing = new DynamoDbRoutingStore(client, { conversations: tables.conversations, agents: tables.agents });
  let n = 0;
  deps = {
    store,
    routing,
    live: { publish: async () => {}, channel: () => ({ publish: async () => {} }) } as never,
    clock: { now: () => new Date() },
    ids: { next: () => `id${++n}${Math.random().toString(36).slice(2, 6)}` },
    workflows: { completeTask: async () => 'completed', startEscalation: async () => {}, runMessageWorkflow: async () => ({ status: 'SUCCEEDED' }) },
    settings: { maxOffers: 1000, missedOffersAway: 1000 },
  };
  for (let i = 0; i < AGENTS; i++) {
    await routing.putAgent({ id: `a${i}`, name: `Agent ${i}`, skills: i % 2 ? ['refunds'] : ['logistics'], groups: ['default'], languages: [], capacity: CAPACITY, presence: 'online' });
  }
  const now = Date.now();
  for (let i = 0; i < CONVERSATIONS; i++) {
    const at = new Date(now - (CONVERSATIONS - i) * 1000).toISOString();
    const c: Conversation = { id: `c${i}`, channel: 'webchat', customerId: `cus${i}`, status: 'queued', seq: 0, failedAnswers: 0, handoffs: 1, createdAt: at, updatedAt: at, queuedAt: at, priority: i % 10, groupId: 'default', deadlineAt: new Date(now + 3_600_000).toISOString(), ...(i % 3 ? { neededSkill: i % 2 ? 'refunds' : 'logistics' } : {}) };
    await store.create(c);
    await routing.setQueueEntry(c.id, { groupId: 'default', priority: c.priority!, queuedAt: at });
  }
}, 120_000);
afterAll(async () => ddb?.stop());

describe('routing under contention (DynamoDB Local)', () => {
  it('never exceeds an agent capacity and never assigns a conversation twice, with 10 routers racing', async () => {
    const accepts = new Map<string, number>();
    const violations: string[] = [];
    const count = { offered: 0, accepted: 0, declined: 0, expired: 0, picked: 0, resolved: 0, transferred: 0, refused: 0 };
    const held = new Map<string, string>(); // conversation -> agent, as seen by the routers that accepted

    const checkCapacity = async () => {
      for (const a of await routing.listAgents()) if ((a.load ?? 0) > a.capacity || (a.load ?? 0) < 0) violations.push(`${a.id} load ${a.load} of ${a.capacity}`);
    };

    const expectRefusal = (error: unknown) => {
      if (!(error instanceof DomainError)) throw error;
      count.refused++;
    };

    const accepted = (conversationId: string, agentId: string) => {
      accepts.set(conversationId, (accepts.get(conversationId) ?? 0) + 1);
      held.set(conversationId, agentId);
      count.accepted++;
    };

    const router = async () => {
      for (let round = 0; round < 200; round++) {
        const queue = await store.listQueue(200, 'default');
        if (!queue.length && !held.size) return;
        const roll = random();
        // Free seats: resolve or transfer something this floor holds.
        if (held.size && (roll < 0.35 || !queue.length)) {
          const [conversationId, agentId] = [...held.entries()][Math.floor(random() * held.size)]!;
          held.delete(conversationId);
          try {
            if (random() < 0.15) {
              const target = `a${Math.floor(random() * AGENTS)}`;
              const moved = await makeTransferConversation(deps)({ conversationId, agentId, to: { agentId: target } });
              held.set(conversationId, moved.assignedAgentId!);
              count.transferred++;
            } else {
              await makeResolveConversation(deps)({ conversationId, agentId });
              count.resolved++;
            }
          } catch (error) {
            held.set(conversationId, agentId);
            expectRefusal(error);
          }
          continue;
        }
        const candidate = queue.filter((c) => !c.offeredAgentId)[Math.floor(random() * Math.min(10, queue.length))];
        if (!candidate) continue;
        if (roll < 0.45) {
          // An agent picks straight from the queue, racing the routers' offers.
          const agentId = `a${Math.floor(random() * AGENTS)}`;
          try {
            await makeAcceptConversation(deps)({ conversationId: candidate.id, agentId });
            accepted(candidate.id, agentId);
            count.picked++;
          } catch (error) {
            expectRefusal(error);
          }
          continue;
        }
        const routed = await makeRoute(deps)({ conversationId: candidate.id });
        if (routed.outcome !== 'offered') continue;
        count.offered++;
        const answer = random();
        try {
          if (answer < 0.7) {
            await makeAcceptConversation(deps)({ conversationId: candidate.id, agentId: routed.agentId });
            accepted(candidate.id, routed.agentId);
          } else if (answer < 0.85) {
            await makeDeclineOffer(deps)({ conversationId: candidate.id, agentId: routed.agentId });
            count.declined++;
          } else {
            await makeExpireOffer(deps)({ conversationId: candidate.id, agentId: routed.agentId });
            count.expired++;
          }
        } catch (error) {
          expectRefusal(error);
        }
        if (round % 5 === 0) await checkCapacity();
      }
    };

    await Promise.all(Array.from({ length: ROUTERS }, router));
    // Drain what the routers left: resolve everything held, then route and accept the rest one by one.
    for (let guard = 0; guard < 2000; guard++) {
      for (const [conversationId, agentId] of [...held]) {
        await makeResolveConversation(deps)({ conversationId, agentId });
        held.delete(conversationId);
        count.resolved++;
      }
      const queue = await store.listQueue(200, 'default');
      if (!queue.length) break;
      for (const c of queue) {
        if (c.offeredAgentId) {
          await makeExpireOffer(deps)({ conversationId: c.id, agentId: c.offeredAgentId });
          continue;
        }
        const routed = await makeRoute(deps)({ conversationId: c.id });
        if (routed.outcome === 'offered') {
          await makeAcceptConversation(deps)({ conversationId: c.id, agentId: routed.agentId });
          accepted(c.id, routed.agentId);
        }
      }
    }
    await checkCapacity();

    expect(violations).toEqual([]);
    // The audit trail records each real acceptance (an accept repeated by the same agent is an idempotent no-op).
    const acceptedEvents = await Promise.all(Array.from({ length: CONVERSATIONS }, async (_, i) => (await store.listEvents(`c${i}`)).filter((e) => e.type === 'accepted').length));
    expect(acceptedEvents.filter((n) => n !== 1)).toEqual([]);
    // Every conversation was accepted exactly once and is resolved; every seat is free.
    expect(accepts.size).toBe(CONVERSATIONS);
    const agents = await routing.listAgents();
    expect(agents.map((a) => a.load ?? 0)).toEqual(Array(AGENTS).fill(0));
    for (let i = 0; i < CONVERSATIONS; i++) expect((await store.get(`c${i}`))?.status).toBe('resolved');
    // The race really happened: offers were made, declined and expired, and some moves were refused.
    expect(count.offered).toBeGreaterThan(50);
    expect(count.declined + count.expired).toBeGreaterThan(10);
    expect(count.picked).toBeGreaterThan(10);
    expect(count.refused).toBeGreaterThan(0);
    console.log('routing race:', JSON.stringify(count));
  }, 600_000);
});

describe('a workflow token parked while an accept is under way (DynamoDB Local)', () => {
  it('completes the offer token that was parked between the accept reading the conversation and claiming it', async () => {
    const at = new Date().toISOString();
    await routing.putAgent({ id: 'solo', name: 'Solo', skills: [], groups: ['solo'], languages: [], capacity: 1, presence: 'online' });
    await store.create({ id: 'tok1', channel: 'webchat', customerId: 'cus-tok', status: 'queued', seq: 0, failedAnswers: 0, handoffs: 1, createdAt: at, updatedAt: at, queuedAt: at, priority: 5, groupId: 'solo' });
    await routing.setQueueEntry('tok1', { groupId: 'solo', priority: 5, queuedAt: at });
    expect(await makeRoute(deps)({ conversationId: 'tok1' })).toEqual({ outcome: 'offered', agentId: 'solo' });
    const completed: Array<{ token: string; output: unknown }> = [];
    let reads = 0;
    // The workflow parks its token right after the accept has read the conversation (the window CI once hit).
    const racingStore = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop !== 'get') return Reflect.get(target, prop, receiver);
        return async (id: string) => {
          const value = await target.get(id);
          if (id === 'tok1' && ++reads === 1) await routing.parkOfferToken('tok1', 'solo', 'token-of-the-offer');
          return value;
        };
      },
    });
    const racing: RoutingDeps = { ...deps, store: racingStore, workflows: { ...deps.workflows, completeTask: async (token: string, output: unknown) => (completed.push({ token, output }), 'completed') } };
    expect(await makeAcceptConversation(racing)({ conversationId: 'tok1', agentId: 'solo' })).toMatchObject({ status: 'agent', assignedAgentId: 'solo' });
    expect(completed).toEqual([{ token: 'token-of-the-offer', output: { outcome: 'accepted', agentId: 'solo' } }]);
  });

  it('hands a decline the offer token that was parked between its read and its release', async () => {
    const at = new Date().toISOString();
    await store.create({ id: 'tok2', channel: 'webchat', customerId: 'cus-tok', status: 'queued', seq: 0, failedAnswers: 0, handoffs: 1, createdAt: at, updatedAt: at, queuedAt: at, priority: 5, groupId: 'solo' });
    await routing.setQueueEntry('tok2', { groupId: 'solo', priority: 5, queuedAt: at });
    await makeResolveConversation(deps)({ conversationId: 'tok1', agentId: 'solo' });
    expect(await makeRoute(deps)({ conversationId: 'tok2' })).toEqual({ outcome: 'offered', agentId: 'solo' });
    // A client that lets the workflow park its token just before the release's transaction reaches DynamoDB.
    const client = DynamoDBDocumentClient.from(ddb.client);
    let parked = false;
    const send = client.send.bind(client);
    (client as { send: unknown }).send = async (command: { constructor: { name: string } }) => {
      if (command.constructor.name === 'TransactWriteCommand' && !parked) {
        parked = true;
        await routing.parkOfferToken('tok2', 'solo', 'token-of-the-second-offer');
      }
      return send(command as never);
    };
    const racingRouting = new DynamoDbRoutingStore(client, (routing as unknown as { tables: { conversations: string; agents: string } }).tables);
    const completed: Array<{ token: string; output: unknown }> = [];
    const racing: RoutingDeps = { ...deps, routing: racingRouting, workflows: { ...deps.workflows, completeTask: async (token: string, output: unknown) => (completed.push({ token, output }), 'completed') } };
    await makeDeclineOffer(racing)({ conversationId: 'tok2', agentId: 'solo' });
    expect(parked).toBe(true);
    expect(completed).toEqual([{ token: 'token-of-the-second-offer', output: { outcome: 'declined', agentId: 'solo' } }]);
    expect((await routing.getAgent('solo'))?.load).toBe(0);
    expect((await store.get('tok2'))?.offerToken).toBeUndefined();
  });
});

describe('presence by inactivity (DynamoDB Local)', () => {
  it('sets an online agent who has been silent past the idle window away when routing meets them, not one who was active', async () => {
    const now = Date.now();
    const at = new Date(now).toISOString();
    const silentSince = new Date(now - 45 * 60_000).toISOString();
    await routing.putAgent({ id: 'idle-a', name: 'Idle A', skills: [], groups: ['idle'], languages: [], capacity: 2, presence: 'online', lastActiveAt: silentSince });
    await routing.putAgent({ id: 'idle-b', name: 'Idle B', skills: [], groups: ['idle'], languages: [], capacity: 2, presence: 'online', lastActiveAt: silentSince });
    await store.create({ id: 'idle-c1', channel: 'webchat', customerId: 'cus-idle', status: 'queued', seq: 0, failedAnswers: 0, handoffs: 1, createdAt: at, updatedAt: at, queuedAt: at, priority: 5, groupId: 'idle' });
    await routing.setQueueEntry('idle-c1', { groupId: 'idle', priority: 5, queuedAt: at });
    const presence: unknown[] = [];
    const watched: RoutingDeps = { ...deps, settings: { maxOffers: 10, missedOffersAway: 10, idleAwayMinutes: 30 }, live: { publish: async (_audience: string, event: unknown) => void presence.push(event), channel: () => ({ publish: async () => {} }) } as never };

    // B uses the console (recorded once a minute at most): B stays online and gets the offer; A is set away.
    await makeTouchAgent(watched)('idle-b');
    const touchedAt = (await routing.getAgent('idle-b'))!.lastActiveAt!;
    expect(Date.parse(touchedAt)).toBeGreaterThan(now - 5_000);
    await makeTouchAgent(watched)('idle-b');
    expect((await routing.getAgent('idle-b'))!.lastActiveAt).toBe(touchedAt);
    expect(await makeRoute(watched)({ conversationId: 'idle-c1' })).toEqual({ outcome: 'offered', agentId: 'idle-b' });
    expect((await routing.getAgent('idle-a'))!.presence).toBe('away');
    expect(presence).toContainEqual({ type: 'presence', agentId: 'idle-a', presence: 'away', reason: 'inactive' });
    // An agent who did something since routing read them is not set away (the write is conditional on that reading).
    expect(await routing.setPresence('idle-b', 'away', at, { onlyIfActiveBefore: silentSince })).toBeUndefined();
    expect((await routing.getAgent('idle-b'))!.presence).toBe('online');
    // Going online again counts as activity.
    const onlineAt = new Date().toISOString();
    expect(await routing.setPresence('idle-a', 'online', onlineAt)).toMatchObject({ presence: 'online', lastActiveAt: onlineAt });
  });
});

/**
 * The walk-through over HTTP against the local runtime (real DynamoDB Local, the synthesized escalation
 * workflow on aws-local-stepfunctions): three customers ask for a human while the only online agent has capacity 2;
 * the third waits, is told its position, and is offered to the agent the moment a chat is resolved; an ignored offer
 * moves on to the next agent; a transfer keeps the transcript.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/local-platform.ts';

let platform: Platform;
const tokens: Record<string, string> = {};
type Customer = { conversationId: string; token: string };

beforeAll(async () => {
  platform = await startPlatform({ acceptTimeoutSeconds: 2, maxOffers: 20 });
  for (const id of ['agent-li', 'agent-wang', 'agent-chen', 'admin']) tokens[id] = await platform.runtime.tokenFor(id);
  const { routingStore } = await import('../../shared/adapters/wiring/storage.ts');
  const li = (await routingStore().getAgent('agent-li'))!;
  await routingStore().putAgent({ ...li, capacity: 2, load: 0 });
  await routingStore().putGroup({ id: 'default', name: 'Frontline', maxWaitSeconds: 300 });
  for (const id of ['agent-wang', 'agent-chen']) {
    expect((await platform.request('PUT', '/v1/agent/presence', { token: tokens[id], body: { presence: 'offline' } })).status).toBe(200);
  }
}, 90_000);
afterAll(async () => platform?.runtime.stop());

const context = async (conversationId: string) => (await platform.request('GET', `/v1/agent/conversations/${conversationId}`, { token: tokens['agent-chen'] })).body;
const events = async (conversationId: string) => ((await context(conversationId)).events as Array<{ type: string; detail?: any }>);

async function askForHuman(): Promise<Customer> {
  const customer = await platform.openConversation();
  expect((await platform.say(customer, '转人工')).status).toBe(202);
  await platform.waitFor(async () => (await context(customer.conversationId)).conversation.status === 'queued', 'queued');
  return customer;
}

const offeredTo = (agentId: string, conversationId: string) =>
  platform.waitFor(async () => (await context(conversationId)).conversation.offeredAgentId === agentId, `an offer of ${conversationId} to ${agentId}`, 20_000);

const accept = (agentId: string, conversationId: string) => platform.request('POST', `/v1/agent/conversations/${conversationId}/accept`, { token: tokens[agentId], body: {} });

describe('a full agent, a waiting customer and a freed seat', () => {
  let first: Customer;
  let second: Customer;
  let third: Customer;

  it('offers the first two to the only agent and keeps the third waiting with its position', async () => {
    first = await askForHuman();
    await offeredTo('agent-li', first.conversationId);
    expect(await accept('agent-li', first.conversationId)).toMatchObject({ status: 200, body: { status: 'agent' } });
    second = await askForHuman();
    await offeredTo('agent-li', second.conversationId);
    expect(await accept('agent-li', second.conversationId)).toMatchObject({ status: 200, body: { status: 'agent' } });

    third = await askForHuman();
    const told = await platform.waitFor(async () => (await platform.transcript(third)).find((m) => m.role === 'system' && /第 1 位/.test(m.text)), 'the position message');
    expect(told.text).toMatch(/预计等待/);
    // The agent is full: no offer, and picking it from the queue is refused with a clear error.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await context(third.conversationId)).conversation.offeredAgentId).toBeUndefined();
    expect(await accept('agent-li', third.conversationId)).toMatchObject({ status: 409, body: { error: { code: 'AGENT.AT_CAPACITY' } } });
    const floor = await platform.request('GET', '/v1/supervisor/floor', { token: tokens['agent-chen'] });
    expect(floor.body.agents.find((a: any) => a.id === 'agent-li')).toMatchObject({ load: 2, capacity: 2 });
    expect(floor.body.queues.find((q: any) => q.groupId === 'default')).toMatchObject({ waiting: 1 });
  });

  it('offers the waiting conversation to the agent as soon as a chat is resolved', async () => {
    const resolvedAt = Date.now();
    expect((await platform.request('POST', `/v1/agent/conversations/${first.conversationId}/resolve`, { token: tokens['agent-li'], body: {} })).status).toBe(200);
    await offeredTo('agent-li', third.conversationId);
    const offerDelayMs = Date.now() - resolvedAt;
    expect(offerDelayMs).toBeLessThan(5000);
    expect(await accept('agent-li', third.conversationId)).toMatchObject({ status: 200, body: { status: 'agent' } });
    await platform.waitFor(async () => (await events(third.conversationId)).some((e) => e.type === 'assigned'), 'the assignment recorded by the workflow');

    // The first customer rates the resolved chat (CSAT), once.
    const rate = (customer: Customer, body: unknown) => platform.request('POST', `/v1/webchat/conversations/${customer.conversationId}/rating`, { token: customer.token, body });
    expect(await rate(first, { score: 5, comment: '很快，谢谢' })).toMatchObject({ status: 200, body: { rated: true, duplicate: false } });
    expect(await rate(first, { score: 5, comment: '很快，谢谢' })).toMatchObject({ status: 200, body: { duplicate: true } });
    expect(await rate(first, { score: 1 })).toMatchObject({ status: 409, body: { error: { code: 'CONVERSATION.ALREADY_RATED' } } });
    expect((await rate(first, { score: 6 })).status).toBe(400);
    expect((await context(first.conversationId)).conversation.csat).toMatchObject({ score: 5, comment: '很快，谢谢' });
    const fresh = await platform.openConversation();
    expect(await rate(fresh, { score: 4 })).toMatchObject({ status: 409, body: { error: { code: 'CONVERSATION.NOT_RATABLE' } } });
    expect((await platform.request('POST', `/v1/webchat/conversations/${first.conversationId}/rating`, { token: fresh.token, body: { score: 3 } })).status).toBe(403);
  });

  it('moves an ignored offer on to the next agent, and a transfer keeps the transcript', async () => {
    for (const id of ['agent-wang', 'agent-chen']) await platform.request('PUT', '/v1/agent/presence', { token: tokens[id], body: { presence: 'online' } });
    const fourth = await askForHuman();
    // agent-li is full; of the two idle agents the offer goes to one, who ignores it; it then goes to the other.
    const firstAgent = await platform.waitFor(async () => (await context(fourth.conversationId)).conversation.offeredAgentId as string | undefined, 'the first offer');
    const otherAgent = firstAgent === 'agent-chen' ? 'agent-wang' : 'agent-chen';
    await offeredTo(otherAgent, fourth.conversationId);
    const trail = await events(fourth.conversationId);
    expect(trail.filter((e) => e.type === 'offer.expired').map((e) => e.detail.agentId)).toContain(firstAgent);
    expect(await accept(otherAgent, fourth.conversationId)).toMatchObject({ status: 200 });

    const before = await platform.transcript(fourth);
    const moved = await platform.request('POST', `/v1/agent/conversations/${fourth.conversationId}/transfer`, { token: tokens[otherAgent], body: { to: { agentId: firstAgent }, note: 'VIP customer' } });
    expect(moved).toMatchObject({ status: 200, body: { assignedAgentId: firstAgent } });
    const after = await platform.transcript(fourth);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.at(-1)?.text).toMatch(/转接/);
    const bad = await platform.request('POST', `/v1/agent/conversations/${fourth.conversationId}/transfer`, { token: tokens[firstAgent], body: { to: { agentId: '' } } });
    expect(bad.status).toBe(400);
  });
});

/**
 * The supervisor's floor lists the conversations waiting and being served (by the byAgent index), an agent lists
 * their own chats (GET /v1/agent/conversations), and a supervisor reassigns a chat from one agent to another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/local-platform.ts';

let platform: Platform;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  platform = await startPlatform({ acceptTimeoutSeconds: 5 });
  for (const id of ['agent-li', 'agent-wang', 'agent-sam', 'agent-chen']) tokens[id] = await platform.runtime.tokenFor(id);
  for (const id of ['agent-wang', 'agent-sam', 'agent-chen']) await platform.request('PUT', '/v1/agent/presence', { token: tokens[id], body: { presence: 'offline' } });
  await platform.request('PUT', '/v1/agent/presence', { token: tokens['agent-li'], body: { presence: 'online' } });
}, 90_000);
afterAll(async () => platform?.runtime.stop());

const floor = async () => (await platform.request('GET', '/v1/supervisor/floor', { token: tokens['agent-chen'] })).body;
const mine = async (agent: string) => (await platform.request('GET', '/v1/agent/conversations', { token: tokens[agent] })).body.conversations as Array<{ id: string }>;

describe('the floor and reassigning', () => {
  it('shows a waiting chat, then the agent serving it, and moves it to another agent', async () => {
    const customer = await platform.openConversation();
    await platform.say(customer, '转人工');
    const waiting = await platform.waitFor(async () => (await floor()).conversations?.find((c: { id: string }) => c.id === customer.conversationId), 'the waiting chat on the floor');
    expect(waiting).toMatchObject({ status: 'queued', channel: 'webchat', groupId: 'default', handoffReason: 'requested' });

    await platform.waitFor(async () => (await floor()).conversations.find((c: { id: string; offeredAgentId?: string }) => c.id === customer.conversationId)?.offeredAgentId === 'agent-li', 'the offer to agent-li', 20_000);
    expect((await platform.request('POST', `/v1/agent/conversations/${customer.conversationId}/accept`, { token: tokens['agent-li'], body: {} })).status).toBe(200);
    const served = await platform.waitFor(async () => (await floor()).conversations.find((c: { id: string; status: string }) => c.id === customer.conversationId && c.status === 'agent'), 'the served chat');
    expect(served).toMatchObject({ assignedAgentId: 'agent-li' });
    expect(served.acceptedAt).toBeTypeOf('string');
    expect((await mine('agent-li')).map((c) => c.id)).toContain(customer.conversationId);
    expect((await mine('agent-wang')).map((c) => c.id)).not.toContain(customer.conversationId);

    // The supervisor reassigns it to agent-wang (online again, with a free seat).
    await platform.request('PUT', '/v1/agent/presence', { token: tokens['agent-wang'], body: { presence: 'online' } });
    const moved = await platform.request('POST', `/v1/agent/conversations/${customer.conversationId}/transfer`, { token: tokens['agent-chen'], body: { to: { agentId: 'agent-wang' }, note: 'VIP, please take over' } });
    expect(moved).toMatchObject({ status: 200, body: { assignedAgentId: 'agent-wang' } });
    await platform.waitFor(async () => (await mine('agent-wang')).some((c) => c.id === customer.conversationId), "agent-wang's list to hold the chat");
    expect((await mine('agent-li')).map((c) => c.id)).not.toContain(customer.conversationId);
    const after = await platform.waitFor(async () => (await floor()).conversations.find((c: { id: string; assignedAgentId?: string }) => c.id === customer.conversationId && c.assignedAgentId === 'agent-wang'), 'the floor to show agent-wang');
    expect(after.status).toBe('agent');
    // Agents may not read the floor.
    expect((await platform.request('GET', '/v1/supervisor/floor', { token: tokens['agent-li'] })).status).toBe(403);
  }, 60_000);
});

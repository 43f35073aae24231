/**
 * The supervisor dashboard over HTTP on the local runtime: two conversations (one the bot answers, one handed to an
 * agent, answered, resolved and rated) move the day's counters through the conversations table's stream → the
 * analytics function → DynamoDB Local, and GET /v1/supervisor/dashboard reports them; a fact redelivered counts once;
 * agents may not read it; a bad period is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/local-platform.ts';

let platform: Platform;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  platform = await startPlatform({ acceptTimeoutSeconds: 5 });
  for (const id of ['agent-li', 'agent-chen', 'admin']) tokens[id] = await platform.runtime.tokenFor(id);
  // Only agent-li takes chats, so the handed-off conversation is offered to them.
  for (const id of ['agent-wang', 'agent-sam', 'agent-chen']) {
    await platform.request('PUT', '/v1/agent/presence', { token: await platform.runtime.tokenFor(id), body: { presence: 'offline' } });
  }
  expect((await platform.request('PUT', '/v1/agent/presence', { token: tokens['agent-li'], body: { presence: 'online' } })).status).toBe(200);
}, 90_000);
afterAll(async () => platform?.runtime.stop());

const dashboard = async (query = '') => platform.request('GET', `/v1/supervisor/dashboard${query}`, { token: tokens['agent-chen'] });
const context = async (conversationId: string) => (await platform.request('GET', `/v1/agent/conversations/${conversationId}`, { token: tokens['agent-chen'] })).body;

describe('the supervisor dashboard', () => {
  it('counts a bot-answered and a human-handled conversation, with times, rating, sentiment and intents', async () => {
    const before = (await dashboard()).body;
    expect(before.period).toMatchObject({ timeZone: 'Asia/Shanghai', days: 7 });

    // A customer the bot answers.
    const bot = await platform.openConversation();
    await platform.say(bot, '我的包裹到哪了');
    await platform.waitFor(async () => (await platform.transcript(bot)).find((m) => m.role === 'bot'), 'the bot answer');

    // A customer who asks for a human, is served by agent-li, and rates the chat 5.
    const human = await platform.openConversation();
    await platform.say(human, '转人工');
    await platform.waitFor(async () => (await context(human.conversationId)).conversation.offeredAgentId === 'agent-li', 'the offer to agent-li', 20_000);
    expect((await platform.request('POST', `/v1/agent/conversations/${human.conversationId}/accept`, { token: tokens['agent-li'], body: {} })).status).toBe(200);
    expect((await platform.request('POST', `/v1/agent/conversations/${human.conversationId}/messages`, { token: tokens['agent-li'], body: { text: '您好，我来帮您' } })).status).toBe(201);
    expect((await platform.request('POST', `/v1/agent/conversations/${human.conversationId}/messages`, { token: tokens['agent-li'], body: { text: '还有别的问题吗？' } })).status).toBe(201);
    expect((await platform.request('POST', `/v1/agent/conversations/${human.conversationId}/resolve`, { token: tokens['agent-li'], body: {} })).status).toBe(200);
    expect((await platform.request('POST', `/v1/webchat/conversations/${human.conversationId}/rating`, { token: human.token, body: { score: 5 } })).status).toBe(200);

    const after = await platform.waitFor(async () => {
      const d = (await dashboard()).body;
      return d.csat.count === before.csat.count + 1 && d.handling.count === before.handling.count + 1 ? d : undefined;
    }, 'the dashboard to count the rated chat', 20_000);
    expect(after.totals.conversations - before.totals.conversations).toBe(2);
    expect(after.totals.handedOff - before.totals.handedOff).toBe(1);
    expect(after.totals.contained - before.totals.contained).toBe(1);
    const reason = (d: typeof after, r: string) => d.handoffReasons.find((x: { reason: string }) => x.reason === r)?.count ?? 0;
    expect(reason(after, 'requested') - reason(before, 'requested')).toBe(1);
    // One first response per handoff (the second agent reply is not a first response).
    expect(after.firstResponse.count - before.firstResponse.count).toBe(1);
    expect(after.queueWait.count - before.queueWait.count).toBe(1);
    expect(after.csat.distribution[4].count - before.csat.distribution[4].count).toBe(1);
    const li = after.agents.find((a: { agentId: string }) => a.agentId === 'agent-li');
    expect(li.handled).toBeGreaterThanOrEqual(1);
    expect(li.ratings).toBeGreaterThanOrEqual(1);
    // The bot's answer came from a knowledge entry: it is among the intents, labelled with the entry's question.
    const replies = (await platform.transcript(bot)).filter((m) => m.role === 'bot') as Array<{ entryId?: string }>;
    const entryId = (await context(bot.conversationId)).transcript?.find?.((m: { role: string; entryId?: string }) => m.role === 'bot' && m.entryId)?.entryId ?? replies[0]?.entryId;
    const intent = after.topIntents.find((i: { topic: string }) => i.topic === entryId);
    expect(intent, `intent ${entryId} in ${JSON.stringify(after.topIntents)}`).toBeDefined();
    expect(intent.kind).toBe('entry');
    expect(intent.label).not.toBe(entryId);
    expect(after.totals.botReplies - before.totals.botReplies).toBeGreaterThanOrEqual(1);
    expect(after.totals.customerTurnsScored - before.totals.customerTurnsScored).toBeGreaterThanOrEqual(2);
    const today = after.series.at(-1);
    expect(today.day).toBe(after.period.to);
    expect(today.conversations).toBeGreaterThanOrEqual(2);
  }, 90_000);

  it('counts a redelivered fact once', async () => {
    const { makeRecordConversationChange } = await import('../../shared/application/analytics.use-cases.ts');
    const { analyticsStore } = await import('../../shared/adapters/wiring/storage.ts');
    const record = makeRecordConversationChange({ analytics: analyticsStore(), timeZone: 'Asia/Shanghai' });
    const at = new Date().toISOString();
    const previous = { id: 'conv_redelivered', channel: 'email' as const, seq: 0, status: 'bot' as const, handoffs: 0, updatedAt: at };
    const next = { ...previous, seq: 1, lastMessageAt: at };
    expect(await record(previous, next)).toEqual({ recorded: 1 });
    expect(await record(previous, next)).toEqual({ recorded: 0 });
    const email = (await dashboard()).body.byChannel.find((c: { channel: string }) => c.channel === 'email');
    expect(email.conversations).toBe(1);
  });

  it('is for supervisors only and refuses a bad period', async () => {
    expect((await platform.request('GET', '/v1/supervisor/dashboard', { token: tokens['agent-li'] })).status).toBe(403);
    expect((await platform.request('GET', '/v1/supervisor/dashboard')).status).toBe(401);
    const bad = await dashboard('?from=2026-13-01');
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'REQUEST.VALIDATION_FAILED', details: { field: 'from' } } } });
    expect(bad.body.error.message).toMatch(/YYYY-MM-DD/);
    expect((await dashboard('?from=2026-01-01&to=2026-11-22')).status).toBe(400);
    const range = await dashboard('?from=2026-11-01&to=2026-11-30');
    expect(range).toMatchObject({ status: 200, body: { period: { from: '2026-11-01', to: '2026-11-30', days: 30 } } });
    expect(range.body.series).toHaveLength(30);
  });
});

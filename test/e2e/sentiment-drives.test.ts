/**
 * The sentiment capability as a customer and an agent meet it, over HTTP against the local runtime: every customer
 * message is scored and keeps its scores, the bot acknowledges the emotion before answering, anger goes to a human
 * first with a higher queue priority, and the agent's view carries the conversation's mood (current, trend, worst).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/local-platform.ts';

let platform: Platform;
let agentToken: string;

beforeAll(async () => {
  platform = await startPlatform({ acceptTimeoutSeconds: 60 });
  agentToken = await platform.runtime.tokenFor('agent-li');
});
afterAll(async () => platform?.runtime.stop());

describe('sentiment drives tone, priority and handoff', () => {
  it('soothes an anxious customer before the answer and stores the scores on the message', async () => {
    const conversation = await platform.openConversation();
    expect((await platform.say(conversation, '你们的快递怎么还没到，我都等了一个星期了！！！')).status).toBe(202);
    const reply = await platform.waitFor(async () => (await platform.transcript(conversation)).find((m) => m.role === 'bot' || m.role === 'system'), 'the reply');
    expect(reply.text).toMatch(/^理解您着急的心情/);
    const context = await platform.request('GET', `/v1/agent/conversations/${conversation.conversationId}`, { token: await platform.runtime.tokenFor('agent-chen') });
    // Agents read a conversation's context; the customer's message carries its sentiment (its mood marker).
    const customer = context.body.transcript.find((m: any) => m.role === 'customer');
    expect(customer.sentiment).toMatchObject({ polarity: 'negative', emotion: 'anxious', provider: 'local' });
    expect(customer.sentiment.intensity).toBeGreaterThan(0.3);
    expect(context.body.conversation.mood).toMatchObject({ emotion: 'anxious', turns: 1 });
  });

  it('hands an angry customer to a human first, high in the queue, with the mood on the agent view', async () => {
    const calm = await platform.openConversation();
    await platform.say(calm, '转人工');
    const angry = await platform.openConversation();
    await platform.say(angry, 'where is my parcel');
    await platform.waitFor(async () => (await platform.transcript(angry)).find((m) => m.role === 'bot'), 'the first answer');
    await platform.say(angry, "This is the third time I'm asking, terrible service");
    const queued = await platform.waitFor(async () => {
      const items = (await platform.request('GET', '/v1/agent/queue', { token: agentToken })).body.items as any[];
      const a = items.find((i) => i.conversationId === angry.conversationId);
      const c = items.find((i) => i.conversationId === calm.conversationId);
      return a && c ? { a, c, items } : undefined;
    }, 'both conversations in the queue');
    expect(queued.a).toMatchObject({ reason: 'negative_emotion', mood: 'angry', moodTrend: expect.any(String) });
    expect(queued.a.priority).toBeGreaterThan(queued.c.priority);
    // Ordered by priority: the angry customer is served before the calm one who came first.
    expect(queued.a.position).toBeLessThan(queued.c.position);
    const context = await platform.request('GET', `/v1/agent/conversations/${angry.conversationId}`, { token: agentToken });
    expect(context.body.conversation.mood).toMatchObject({ emotion: 'angry', turns: 2 });
    expect(context.body.conversation.mood.worst.emotion).toBe('angry');
    expect(context.body.conversation.mood.recent).toHaveLength(2);
  });

  it('scores a text over the API for integrations, and refuses bad input', async () => {
    const scored = await platform.request('POST', '/v1/capabilities/sentiment', { token: agentToken, body: { text: '質量太差了，我要投訴！' } });
    expect(scored).toMatchObject({ status: 200, body: { polarity: 'negative', emotion: 'angry', language: 'zh-Hant', provider: 'local' } });
    expect(scored.body.cues).toContain('complaint');
    const hinted = await platform.request('POST', '/v1/capabilities/sentiment', { token: agentToken, body: { text: 'ok', language: 'en' } });
    expect(hinted.body.language).toBe('en');
    const bad = await platform.request('POST', '/v1/capabilities/sentiment', { token: agentToken, body: { text: '' } });
    expect(bad.status).toBe(400);
    const unknown = await platform.request('POST', '/v1/capabilities/sentiment', { token: agentToken, body: { text: 'hi', language: 'fr' } });
    expect(unknown.status).toBe(400);
  });
});

/**
 * The whole path over HTTP against the local runtime: customer → bot → 转人工 → escalation workflow → agent accepts
 * (the task token completes the workflow) → agent replies → customer sees it → agent resolves.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/local-platform.ts';
import { localWorkflowArn } from '../../infra/local/stepfunctions-local.ts';

let platform: Platform;
let agentToken: string;

beforeAll(async () => {
  platform = await startPlatform({ acceptTimeoutSeconds: 60 });
  agentToken = await platform.runtime.tokenFor('agent-li');
});
afterAll(async () => platform?.runtime.stop());

describe('customer → bot → human → customer', () => {
  it('answers from the knowledge base, hands off on 转人工, and carries the agent reply back', async () => {
    // Prepare: the customer opens a conversation and listens on the WebSocket API.
    const conversation = await platform.openConversation();
    const live: any[] = [];
    const ws = new WebSocket(`${platform.runtime.webSocketUrl}?token=${conversation.token}`);
    await new Promise((ok, fail) => (ws.once('open', ok), ws.once('error', fail)));
    ws.on('message', (data) => live.push(JSON.parse(data.toString())));

    // Act + Assess: the bot answers in Chinese and in English.
    expect((await platform.say(conversation, '我的包裹到哪了')).status).toBe(202);
    const zhAnswer = await platform.waitFor(async () => (await platform.transcript(conversation)).find((m) => m.role === 'bot'), 'the bot answer');
    expect(zhAnswer.text).toContain('查看物流');
    expect((await platform.say(conversation, 'where is my parcel')).status).toBe(202);
    const enAnswer = await platform.waitFor(async () => (await platform.transcript(conversation)).filter((m) => m.role === 'bot')[1], 'the English answer');
    expect(enAnswer.text).toMatch(/Track shipment/);

    // The customer asks for a human: the escalation workflow queues the conversation.
    await platform.say(conversation, '转人工');
    await platform.waitFor(async () => (await platform.request('GET', `/v1/webchat/conversations/${conversation.conversationId}`, { token: conversation.token })).body.status === 'queued', 'queued');
    const queue = await platform.waitFor(async () => {
      const res = await platform.request('GET', '/v1/agent/queue', { token: agentToken });
      return res.body.items.find((i: any) => i.conversationId === conversation.conversationId);
    }, 'the conversation in the agent queue');
    expect(queue).toMatchObject({ reason: 'requested', preview: '转人工' });

    // The agent sees the transcript with the bot part, then accepts: the workflow's task token completes.
    const context = await platform.request('GET', `/v1/agent/conversations/${conversation.conversationId}`, { token: agentToken });
    expect(context.body.transcript.map((m: any) => m.role)).toEqual(expect.arrayContaining(['customer', 'bot', 'system']));
    const executionArn = `${localWorkflowArn('escalation').replace(':stateMachine:', ':execution:')}:${conversation.conversationId}-handoff-1`;
    await platform.waitFor(async () => (await platform.request('GET', `/v1/agent/conversations/${conversation.conversationId}`, { token: agentToken })).body.events.some((e: any) => e.type === 'offered'), 'the offer');
    const accepted = await platform.request('POST', `/v1/agent/conversations/${conversation.conversationId}/accept`, { token: agentToken, body: {} });
    expect(accepted).toMatchObject({ status: 200, body: { status: 'agent', assignedAgentId: 'agent-li' } });
    await platform.runtime.stepFunctions.settled(executionArn);
    expect(platform.runtime.stepFunctions.describeExecution({ executionArn }).status).toBe('SUCCEEDED');

    // The agent replies; the customer sees it over HTTP and live over the WebSocket.
    const reply = await platform.request('POST', `/v1/agent/conversations/${conversation.conversationId}/messages`, { token: agentToken, body: { text: '您好，我是李娜，我来帮您查一下包裹。' } });
    expect(reply.status).toBe(201);
    const seen = await platform.waitFor(async () => (await platform.transcript(conversation)).find((m) => m.role === 'agent'), 'the agent reply');
    expect(seen.text).toContain('李娜');
    await platform.waitFor(async () => live.find((e) => e.type === 'message' && e.message.role === 'agent'), 'the live agent reply');

    // The agent resolves.
    const resolved = await platform.request('POST', `/v1/agent/conversations/${conversation.conversationId}/resolve`, { token: agentToken, body: {} });
    expect(resolved).toMatchObject({ status: 200, body: { status: 'resolved' } });
    expect((await platform.request('GET', `/v1/webchat/conversations/${conversation.conversationId}`, { token: conversation.token })).body.status).toBe('resolved');
    ws.close();
  });

  it('lets only one of two agents accept the same conversation', async () => {
    const conversation = await platform.openConversation();
    await platform.say(conversation, '人工客服');
    await platform.waitFor(async () => (await platform.request('GET', `/v1/webchat/conversations/${conversation.conversationId}`, { token: conversation.token })).body.status === 'queued', 'queued');
    const other = await platform.runtime.tokenFor('agent-wang');
    const [a, b] = await Promise.all([
      platform.request('POST', `/v1/agent/conversations/${conversation.conversationId}/accept`, { token: agentToken, body: {} }),
      platform.request('POST', `/v1/agent/conversations/${conversation.conversationId}/accept`, { token: other, body: {} }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.error.code).toBe('CONVERSATION.ALREADY_ASSIGNED');
  });

  it('pushes queue changes and offers to agents listening on the WebSocket API, and refuses a bad token', async () => {
    const events: any[] = [];
    const ws = new WebSocket(`${platform.runtime.webSocketUrl}?token=${agentToken}`);
    await new Promise((ok, fail) => (ws.once('open', ok), ws.once('error', fail)));
    ws.on('message', (data) => events.push(JSON.parse(data.toString())));
    const conversation = await platform.openConversation();
    await platform.say(conversation, 'talk to a human');
    await platform.waitFor(async () => events.find((e) => e.type === 'offer' && e.conversationId === conversation.conversationId), 'the offer on the agent floor');
    expect(events.find((e) => e.type === 'queue.changed' && e.conversationId === conversation.conversationId)).toMatchObject({ audience: 'agents', change: 'added' });
    ws.close();
    const refused = new WebSocket(`${platform.runtime.webSocketUrl}?token=not-a-token`);
    const outcome = await new Promise((resolve) => (refused.once('open', () => resolve('open')), refused.once('error', () => resolve('refused'))));
    expect(outcome).toBe('refused');
  });

  it('answers the capability routes for an authorised integration', async () => {
    const answer = await platform.request('POST', '/v1/capabilities/answer', { token: agentToken, body: { text: '怎么退货' } });
    expect(answer).toMatchObject({ status: 200, body: { kind: 'answer', entryId: 'kb-returns-how' } });
    const sentiment = await platform.request('POST', '/v1/capabilities/sentiment', { token: agentToken, body: { text: '太慢了，我要投诉！' } });
    expect(sentiment).toMatchObject({ status: 200, body: { polarity: 'negative', emotion: 'angry' } });
    expect((await platform.request('GET', '/v1/health')).body).toMatchObject({ status: 'ok' });
  });
});

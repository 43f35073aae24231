/**
 * Multi-turn flows and the handoff policy over HTTP against the local runtime, with the demo order system on loopback:
 * both demo flows walked to the end (a wrong order number on the way), 转人工 mid-flow, human-first categories, the
 * loop rule, and flow definitions checked by the admin API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/local-platform.ts';

let platform: Platform;
let admin: string;

beforeAll(async () => {
  platform = await startPlatform();
  admin = await platform.runtime.tokenFor('admin');
}, 60_000);
afterAll(async () => platform?.runtime.stop());

type Conversation = { conversationId: string; token: string };

/** Sends a message and waits for the reply it causes (the next bot or system message). */
async function turn(conversation: Conversation, text: string): Promise<{ role: string; text: string }> {
  const before = (await platform.transcript(conversation)).length;
  const res = await platform.say(conversation, text);
  expect(res.status).toBe(202);
  return platform.waitFor(async () => {
    const transcript = await platform.transcript(conversation);
    return transcript.slice(before).find((m) => m.role === 'bot' || m.role === 'system');
  }, `the reply to "${text}"`);
}

const status = async (conversation: Conversation) =>
  (await platform.request('GET', `/v1/webchat/conversations/${conversation.conversationId}`, { token: conversation.token })).body.status;

describe('order status flow', () => {
  it('asks for the order number, re-asks a wrong one, then answers with the logistics state from the order system', async () => {
    const conversation = await platform.openConversation();
    expect((await turn(conversation, '帮我查一下我的订单')).text).toMatch(/订单号/);
    expect((await turn(conversation, 'KF99999999')).text).toMatch(/KF99999999/);
    const answer = await turn(conversation, '订单号是 KF20240003');
    expect(answer.text).toMatch(/KF20240003/);
    expect(answer.text).toMatch(/派送|运输|快递/);
    expect(await status(conversation)).toBe('bot');
  });

  it('hands off when the customer types 转人工 in the middle of the flow', async () => {
    const conversation = await platform.openConversation();
    await turn(conversation, 'where is my order');
    const handoff = await turn(conversation, '转人工');
    expect(handoff.role).toBe('system');
    expect(await status(conversation)).toBe('queued');
  });
});

describe('return flow', () => {
  it('verifies the order, confirms item and reason, registers the return and opens a ticket', async () => {
    const conversation = await platform.openConversation();
    expect((await turn(conversation, '我要退货')).text).toMatch(/订单号/);
    expect((await turn(conversation, 'KF20240008')).text).toMatch(/哪一件/);
    expect((await turn(conversation, '第二个')).text).toMatch(/原因/);
    expect((await turn(conversation, '尺码偏小，穿不上')).text).toMatch(/确认/);
    const done = await turn(conversation, '是的');
    expect(done.text).toMatch(/退货申请已提交/);
    const agent = await platform.runtime.tokenFor('agent-li');
    const context = await platform.request('GET', `/v1/agent/conversations/${conversation.conversationId}`, { token: agent });
    expect(context.status).toBe(200);
    expect(JSON.stringify(context.body.tickets ?? context.body)).toMatch(/KF20240008/);
  });
});

describe('handoff policy', () => {
  it('hands complaints to a human first', async () => {
    const conversation = await platform.openConversation();
    const reply = await turn(conversation, '我要投诉快递员');
    expect(reply.role).toBe('system');
    expect(await status(conversation)).toBe('queued');
  });

  it('hands over when the customer asks the same question again right after the answer', async () => {
    const conversation = await platform.openConversation();
    expect((await turn(conversation, '怎么开发票')).role).toBe('bot');
    const again = await turn(conversation, '怎么开发票啊');
    expect(again.role).toBe('system');
    expect(await status(conversation)).toBe('queued');
  });
});

describe('flow definitions through the admin API', () => {
  it('lists the demo flows and rejects a broken definition with the path of the problem, storing nothing', async () => {
    const list = await platform.request('GET', '/v1/admin/flows', { token: admin });
    expect(list.status).toBe(200);
    expect(list.body.flows.map((f: any) => f.id).sort()).toEqual(['order-status', 'return-refund']);
    const flow = (await platform.request('GET', '/v1/admin/flows/order-status', { token: admin })).body.definition;
    const broken = { ...flow, steps: flow.steps.map((s: any, i: number) => (i === 0 ? { ...s, next: 'nowhere' } : s)) };
    const res = await platform.request('PUT', '/v1/admin/flows/order-status', { token: admin, body: broken });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/steps\.0\.next/);
    const after = (await platform.request('GET', '/v1/admin/flows/order-status', { token: admin })).body.definition;
    expect(after.steps[0].next).toBe(flow.steps[0].next);
    const agent = await platform.runtime.tokenFor('agent-li');
    expect((await platform.request('PUT', '/v1/admin/flows/order-status', { token: agent, body: flow })).status).toBe(403);
  });
});

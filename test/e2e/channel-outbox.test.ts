/**
 * The channel outbox on the local runtime, with WeChat's customer-service API faked on loopback: a reply ready within
 * the 5-second rule goes out passively and never through the API; a later reply (an agent's) goes through
 * `custom/send` once, after the webhook's deadline; transient failures are retried; a refusal for good marks the
 * message failed and tells agents; a reply outside the 48-hour window is never sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wechatSignature } from '../../shared/adapters/channels/wechat/wechat-signature.ts';
import { parseWechatXml } from '../../shared/adapters/channels/wechat/wechat-xml.ts';
import { conversationStore } from '../../shared/adapters/wiring/storage.ts';
import { customerIdForIdentity } from '../../shared/application/channel-intake.use-cases.ts';
import type { Message } from '../../shared/domain/conversation/conversation.ts';
import { FakeChannelApi } from '../support/fake-channel-api.ts';
import { startPlatform, type Platform } from '../support/local-platform.ts';

const TOKEN = 'kefu-e2e-outbox-token';
const WEBHOOK = '/v1/channels/wechat/webhook';
const SEND = '/cgi-bin/message/custom/send';
const ACCOUNT = 'gh_kefu_outbox';

let platform: Platform;
const wechatApi = new FakeChannelApi();
let msgIds = 7_400_000_000_000_000_000n;

beforeAll(async () => {
  await wechatApi.start();
  wechatApi
    .route('POST', '/cgi-bin/stable_token', () => ({ body: { access_token: 'fake-access-token', expires_in: 7200 } }))
    .route('POST', SEND, () => ({ body: { errcode: 0, errmsg: 'ok' } }));
  Object.assign(process.env, { KEFU_WECHAT_TOKEN: TOKEN, KEFU_WECHAT_APP_ID: 'wx-outbox-app', KEFU_WECHAT_APP_SECRET: 'outbox-secret', KEFU_WECHAT_API_BASE_URL: wechatApi.url });
  platform = await startPlatform({ acceptTimeoutSeconds: 60 });
  const warm = await platform.openConversation();
  await platform.say(warm, '你好');
  await platform.waitFor(async () => (await platform.transcript(warm)).find((m) => m.role === 'bot'), 'the warm-up answer', 30_000);
}, 120_000);
afterAll(async () => {
  await platform?.runtime.stop();
  await wechatApi.stop();
});

function signedQuery(): string {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  return new URLSearchParams({ signature: wechatSignature(TOKEN, timestamp, nonce), timestamp, nonce }).toString();
}

async function say(openid: string, content: string): Promise<{ status: number; text: string }> {
  const body = `<xml><ToUserName><![CDATA[${ACCOUNT}]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgIds++}</MsgId></xml>`;
  const res = await fetch(`${platform.runtime.url}${WEBHOOK}?${signedQuery()}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
  return { status: res.status, text: await res.text() };
}

const newOpenid = (label: string) => `o${label}${Math.random().toString(36).slice(2, 12)}`;

async function conversationOf(openid: string) {
  const [conversation] = await conversationStore().listByCustomer(customerIdForIdentity('wechat', openid), 5);
  if (!conversation) throw new Error(`no conversation for ${openid}`);
  return conversation;
}

/** An agent's reply, appended as the agent console appends it. */
async function agentReply(conversationId: string, text: string): Promise<Message> {
  const { message } = await conversationStore().append(conversationId, { id: `msg_agent_${Math.random().toString(36).slice(2)}`, role: 'agent', agentId: 'agent-li', text, createdAt: new Date().toISOString() });
  return message;
}

async function outboxState(conversationId: string, seq: number) {
  return (await conversationStore().getMessage(conversationId, seq))?.outbox;
}

const sendsTo = (openid: string) => wechatApi.callsTo(SEND).filter((c) => c.json?.touser === openid);

describe('the channel outbox (WeChat customer-service API on a loopback fake)', () => {
  it('leaves a reply that went out passively alone: no API call', async () => {
    const user = newOpenid('passive');
    const res = await say(user, '我的包裹到哪了');
    expect(parseWechatXml(res.text).MsgType).toBe('text');
    const conversation = await conversationOf(user);
    const bot = (await conversationStore().listMessages(conversation.id, { limit: 10 })).find((m) => m.role === 'bot')!;
    expect(bot.outbox).toBe('passive');
    // Past the outbox's wait (the webhook's 5 s after the customer's message), still no send.
    await new Promise((r) => setTimeout(r, 6500));
    expect(sendsTo(user)).toEqual([]);
    expect(await outboxState(conversation.id, bot.seq)).toBe('passive');
  }, 30_000);

  it("sends an agent's later reply once through custom/send, with the access token, and marks it sent", async () => {
    const user = newOpenid('agent');
    await say(user, '我的包裹到哪了');
    const conversation = await conversationOf(user);
    const reply = await agentReply(conversation.id, '您好，我是客服小李，包裹明天送达。');
    const [call] = await wechatApi.waitForCalls((c) => c.path === SEND && c.json?.touser === user);
    expect(call!.query.access_token).toBe('fake-access-token');
    expect(call!.json).toEqual({ touser: user, msgtype: 'text', text: { content: '您好，我是客服小李，包裹明天送达。' } });
    await platform.waitFor(async () => (await outboxState(conversation.id, reply.seq)) === 'sent', 'the reply marked sent');
    await new Promise((r) => setTimeout(r, 500));
    expect(sendsTo(user)).toHaveLength(1);
  }, 30_000);

  it('retries a busy API (errcode -1, HTTP 503) and sends once it recovers', async () => {
    const user = newOpenid('busy');
    await say(user, '你好');
    const conversation = await conversationOf(user);
    wechatApi.failNext('POST', SEND, 1, { body: { errcode: -1, errmsg: 'system error' } }).failNext('POST', SEND, 1, { status: 503, body: 'unavailable' });
    const reply = await agentReply(conversation.id, '稍等，我查一下。');
    await platform.waitFor(async () => (await outboxState(conversation.id, reply.seq)) === 'sent', 'the reply sent after retries', 30_000);
    const tries = sendsTo(user);
    expect(tries).toHaveLength(3);
    expect((await conversationStore().getMessage(conversation.id, reply.seq))?.outboxAttempts).toBe(1);
  }, 40_000);

  it('marks a reply refused for good (45015, outside the window) failed, records why, and does not retry it', async () => {
    const user = newOpenid('refused');
    await say(user, '你好');
    const conversation = await conversationOf(user);
    wechatApi.failNext('POST', SEND, 1, { body: { errcode: 45015, errmsg: 'response out of time limit or subscription is canceled' } });
    const reply = await agentReply(conversation.id, '您还在吗？');
    await platform.waitFor(async () => (await outboxState(conversation.id, reply.seq)) === 'failed', 'the reply marked failed', 30_000);
    const stored = await conversationStore().getMessage(conversation.id, reply.seq);
    expect(stored?.outboxError).toMatchObject({ code: 'OUTSIDE_SERVICE_WINDOW' });
    const events = await conversationStore().listEvents(conversation.id);
    expect(events.find((e) => e.type === 'channel-delivery-failed')?.detail).toMatchObject({ messageId: reply.id, code: 'OUTSIDE_SERVICE_WINDOW' });
    // Agents see it on the transcript, with why.
    const context = await platform.request('GET', `/v1/agent/conversations/${conversation.id}`, { token: await platform.runtime.tokenFor('agent-chen') });
    expect(context.body.transcript.find((m: { id: string }) => m.id === reply.id)?.delivery).toMatchObject({ state: 'failed', error: { code: 'OUTSIDE_SERVICE_WINDOW' } });
    await new Promise((r) => setTimeout(r, 1000));
    expect(sendsTo(user)).toHaveLength(1);
  }, 40_000);

  it('never calls the API for a reply more than 48 hours after the customer last wrote', async () => {
    const user = newOpenid('stale');
    await say(user, '你好');
    const conversation = await conversationOf(user);
    const longAgo = new Date(Date.now() - 49 * 3_600_000).toISOString();
    await conversationStore().update(conversation.id, { lastInboundAt: longAgo }, ['bot', 'queued', 'agent', 'resolved']);
    const reply = await agentReply(conversation.id, '抱歉回复晚了。');
    await platform.waitFor(async () => (await outboxState(conversation.id, reply.seq)) === 'failed', 'the stale reply marked failed', 30_000);
    expect((await conversationStore().getMessage(conversation.id, reply.seq))?.outboxError?.code).toBe('OUTSIDE_SERVICE_WINDOW');
    expect(sendsTo(user).filter((c) => c.json?.text?.content === '抱歉回复晚了。')).toEqual([]);
  }, 40_000);
});

/**
 * Customer identity on the local platform: an SMS number and a WhatsApp number that the channels verified as the same
 * phone end up on one customer; a WeChat user (over the signed webhook) is merged into that customer by an admin over
 * HTTP, and an identity split off again; an agent may not call the admin routes (403); the console's search finds
 * the customer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wechatSignature } from '../../shared/adapters/channels/wechat/wechat-signature.ts';
import { clock, conversationStore, customerDirectory, ids } from '../../shared/adapters/wiring/storage.ts';
import { customerIdForIdentity, makeChannelIntake } from '../../shared/application/channel-intake.use-cases.ts';
import type { InboundMessage } from '../../shared/ports/channel.ts';
import { startPlatform, type Platform } from '../support/local-platform.ts';

const TOKEN = 'kefu-e2e-identity-token';
let platform: Platform;
let admin: string;
let agent: string;
let supervisor: string;

beforeAll(async () => {
  process.env.KEFU_WECHAT_TOKEN = TOKEN;
  platform = await startPlatform();
  [admin, agent, supervisor] = await Promise.all([platform.runtime.tokenFor('admin'), platform.runtime.tokenFor('agent-li'), platform.runtime.tokenFor('agent-chen')]);
}, 120_000);
afterAll(async () => platform?.runtime.stop());

const rand = () => Math.random().toString(36).slice(2, 10);
let msgId = 7_400_000_000_000_000_000n;

/** A message as a channel adapter hands it to intake (the same intake the channel functions run). */
function inbound(channel: InboundMessage['channel'], sender: string, text: string, phone: string): InboundMessage {
  return { channel, kind: 'text', sender, dedupeId: `${channel}:${rand()}`, sentAt: new Date(), text, profile: { phone, verified: ['phone'] } };
}

async function wechatSays(openid: string, content: string): Promise<number> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = rand();
  const query = new URLSearchParams({ signature: wechatSignature(TOKEN, timestamp, nonce), timestamp, nonce });
  const xml = `<xml><ToUserName><![CDATA[gh_kefu_demo]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId++}</MsgId></xml>`;
  const res = await fetch(`${platform.runtime.url}/v1/channels/wechat/webhook?${query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml });
  await res.text();
  return res.status;
}

describe('customer identity across channels', () => {
  it('puts two channels with the same verified phone on one customer, and an admin merges a WeChat user into it', async () => {
    // Prepare
    const e164 = `+86135${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const intake = makeChannelIntake({ store: conversationStore(), customers: customerDirectory(), clock, ids });
    // Act: the phone first texts by SMS, then writes on WhatsApp (the number without "+", as WhatsApp sends it).
    const sms = await intake(inbound('sms', e164, '短信咨询退货', e164));
    const whatsapp = await intake(inbound('whatsapp', e164.slice(1), 'WhatsApp: where is my parcel?', `+${e164.slice(1)}`));
    // Assess
    expect(whatsapp.customerId).toBe(sms.customerId);
    const customerId = sms.customerId;
    const detail = await platform.request('GET', `/v1/admin/customers/${customerId}`, { token: supervisor });
    expect(detail.status).toBe(200);
    expect(detail.body.customer.identities).toEqual([{ channel: 'sms', value: e164 }, { channel: 'whatsapp', value: e164.slice(1) }]);
    expect(detail.body.conversations.map((c: { channel: string }) => c.channel).sort()).toEqual(['sms', 'whatsapp']);
    expect(detail.body.identityLog[0]).toMatchObject({ kind: 'auto-attach', by: 'system', identities: [{ channel: 'whatsapp', value: e164.slice(1) }] });

    // Prepare: a WeChat user over the real webhook (WeChat tells no phone: a customer of its own).
    const openid = `oIdentity${rand()}`;
    expect(await wechatSays(openid, '你好，我也是这个客户')).toBe(200);
    const wechatCustomer = customerIdForIdentity('wechat', openid);
    const [wechatConversation] = await conversationStore().listByCustomer(wechatCustomer, 5);
    const found = await platform.request('GET', `/v1/admin/customers?q=${encodeURIComponent(openid)}`, { token: admin });
    expect(found.status).toBe(200);
    expect(found.body.customers.map((c: { id: string }) => c.id)).toEqual([wechatCustomer]);
    const version = detail.body.customer.version as number;

    // Act: the admin merges the WeChat customer into the phone customer.
    const merged = await platform.request('POST', `/v1/admin/customers/${customerId}/merge`, { token: admin, body: { sourceCustomerId: wechatCustomer, reason: 'customer confirmed by phone', expectedVersion: version } });
    // Assess
    expect(merged.status).toBe(200);
    expect(merged.body.customer.identities.map((i: { channel: string }) => i.channel)).toEqual(['sms', 'whatsapp', 'wechat']);
    expect(merged.body.customer.identityLog[0]).toMatchObject({ kind: 'merge-in', by: 'admin', reason: 'customer confirmed by phone', otherCustomerId: wechatCustomer });
    // A retry of the same request answers the same; a stale version is a 409.
    const retried = await platform.request('POST', `/v1/admin/customers/${customerId}/merge`, { token: admin, body: { sourceCustomerId: wechatCustomer, reason: 'customer confirmed by phone', expectedVersion: version } });
    expect(retried).toMatchObject({ status: 200, body: { alreadyMerged: true } });
    const stale = await platform.request('POST', `/v1/admin/customers/${customerId}/split`, { token: admin, body: { channel: 'wechat', value: openid, reason: 'x', expectedVersion: version } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('CUSTOMER.CONFLICT');
    // The WeChat user's open conversation moved to the merged customer, and their next message continues it.
    expect(await wechatSays(openid, '再问一下')).toBe(200);
    const wechatConversations = await platform.waitFor(async () => {
      const list = await conversationStore().listByCustomer(customerId, 10);
      return list.some((c) => c.channel === 'wechat') ? list : undefined;
    }, 'the WeChat conversation on the merged customer');
    expect(wechatConversations.filter((c) => c.channel === 'wechat').map((c) => c.id)).toEqual([wechatConversation!.id]);
    const texts = (await conversationStore().listMessages(wechatConversation!.id, { limit: 20 })).filter((m) => m.role === 'customer').map((m) => m.text);
    expect(texts).toEqual(['你好，我也是这个客户', '再问一下']);
    const after = await platform.request('GET', `/v1/admin/customers/${wechatCustomer}`, { token: admin });
    expect(after.body).toMatchObject({ redirectedFrom: wechatCustomer, customer: { id: customerId, mergedFrom: [wechatCustomer] } });
    expect(after.body.conversations.map((c: { id: string }) => c.id)).toContain(wechatConversation!.id);

    // Act: the admin splits the WeChat identity off again.
    const split = await platform.request('POST', `/v1/admin/customers/${customerId}/split`, { token: admin, body: { channel: 'wechat', value: openid, reason: 'another family member', expectedVersion: merged.body.customer.version } });
    // Assess
    expect(split.status).toBe(200);
    expect(split.body.customer.identities.map((i: { channel: string }) => i.channel)).toEqual(['sms', 'whatsapp']);
    expect(split.body.split).toMatchObject({ splitFrom: customerId, identities: [{ channel: 'wechat', value: openid }] });
  }, 60_000);

  it('refuses the admin customer routes to an agent (403) and checks the body (400)', async () => {
    // Act
    const list = await platform.request('GET', '/v1/admin/customers?q=a', { token: agent });
    const merge = await platform.request('POST', '/v1/admin/customers/cus_x/merge', { token: agent, body: { sourceCustomerId: 'cus_y', reason: 'r' } });
    const invalid = await platform.request('POST', '/v1/admin/customers/cus_x/merge', { token: admin, body: { sourceCustomerId: 'cus_y', reason: '   ' } });
    const missing = await platform.request('GET', '/v1/admin/customers/cus_missing_customer', { token: admin });
    // Assess
    expect(list.status).toBe(403);
    expect(merge.status).toBe(403);
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('REQUEST.VALIDATION_FAILED');
    expect(missing.status).toBe(404);
  });
});

/**
 * Two-way SMS on the local runtime: an inbound text published to the `sms-inbound` topic (the local SNS stand-in,
 * `POST /_local/sns/sms-inbound`, with AWS's documented two-way payload) becomes one customer and one conversation;
 * SNS's redelivery stores nothing new; an unreadable record is dropped without storing; the agent's reply leaves
 * through End User Messaging's SendTextMessage (a loopback fake speaking the awsJson1_0 protocol) from the number the
 * customer texted.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationStore, customerDirectory } from '../../shared/adapters/wiring/storage.ts';
import { customerIdForIdentity } from '../../shared/application/channel-intake.use-cases.ts';
import { FakeChannelApi } from '../support/fake-channel-api.ts';
import { startPlatform, type Platform } from '../support/local-platform.ts';

const sample = JSON.parse(readFileSync(join(resolve(import.meta.dirname, '..', 'fixtures', 'sms'), 'two-way-payload.json'), 'utf8')) as Record<string, string>;
const endUserMessaging = new FakeChannelApi();
let platform: Platform;

beforeAll(async () => {
  await endUserMessaging.start();
  endUserMessaging.route('POST', '/', (call) => (call.headers['x-amz-target'] === 'PinpointSMSVoiceV2.SendTextMessage' ? { body: { MessageId: `sms-${endUserMessaging.calls.length}` }, headers: { 'content-type': 'application/x-amz-json-1.0' } } : { status: 400, body: { __type: 'UnknownOperationException' } }));
  Object.assign(process.env, { KEFU_SMS_ORIGINATION_IDENTITY: '+12065550100', KEFU_SMS_API_BASE_URL: endUserMessaging.url });
  platform = await startPlatform({ acceptTimeoutSeconds: 60 });
}, 120_000);
afterAll(async () => {
  await platform?.runtime.stop();
  await endUserMessaging.stop();
});

const phone = () => `+1206555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;

async function publish(message: unknown): Promise<{ status: number; body: any }> {
  return platform.request('POST', '/_local/sns/sms-inbound', { rawBody: typeof message === 'string' ? message : JSON.stringify(message) });
}

describe('two-way SMS', () => {
  it("stores AWS's sample inbound text once per inboundMessageId, on one customer known by the verified number", async () => {
    // Prepare
    const from = phone();
    const text = { ...sample, originationNumber: from, inboundMessageId: `in-${Math.random().toString(36).slice(2)}`, messageBody: '我的包裹到哪了' };
    // Act: published, then redelivered by SNS.
    const first = await publish(text);
    const again = await publish(text);
    // Assess
    expect(first.status).toBe(200);
    expect(first.body.results[0].result).toMatchObject({ stored: 1, duplicates: 0, rejected: 0 });
    expect(again.body.results[0].result).toMatchObject({ stored: 0, duplicates: 1 });
    const customerId = customerIdForIdentity('sms', from);
    expect((await customerDirectory().get(customerId))?.identities).toEqual([{ channel: 'sms', value: from }]);
    const [conversation] = await conversationStore().listByCustomer(customerId, 5);
    expect(conversation?.channel).toBe('sms');
    expect(conversation?.channelThread).toEqual({ destinationNumber: sample.destinationNumber });
    const customerMessages = (await conversationStore().listMessages(conversation!.id, { limit: 20 })).filter((m) => m.role === 'customer');
    expect(customerMessages.map((m) => m.text)).toEqual(['我的包裹到哪了']);
  });

  it('drops an unreadable record without storing anything', async () => {
    const from = phone();
    const res = await publish({ ...sample, originationNumber: from, inboundMessageId: 'x', messageBody: 42 });
    expect(res.body.results[0].result).toMatchObject({ stored: 0, rejected: 1 });
    expect(await customerDirectory().get(customerIdForIdentity('sms', from))).toBeUndefined();
    expect((await publish('not json')).body.results[0].result).toMatchObject({ stored: 0, rejected: 1 });
  });

  it('sends the reply with SendTextMessage from the number the customer texted', async () => {
    // Prepare
    const from = phone();
    await publish({ ...sample, originationNumber: from, inboundMessageId: `in-${Math.random().toString(36).slice(2)}`, messageBody: '你好' });
    const [conversation] = await conversationStore().listByCustomer(customerIdForIdentity('sms', from), 5);
    // Act: an agent's reply.
    const { message } = await conversationStore().append(conversation!.id, { id: `msg_sms_${Date.now()}`, role: 'agent', agentId: 'agent-li', text: '您好，包裹已发出。', createdAt: new Date().toISOString() });
    // Assess
    const [call] = await endUserMessaging.waitForCalls((c) => c.json?.DestinationPhoneNumber === from && c.json?.MessageBody === '您好，包裹已发出。');
    expect(call!.json).toMatchObject({ DestinationPhoneNumber: from, OriginationIdentity: sample.destinationNumber, MessageType: 'TRANSACTIONAL' });
    await platform.waitFor(async () => (await conversationStore().getMessage(conversation!.id, message.seq))?.outbox === 'sent', 'the SMS reply marked sent');
    expect((await conversationStore().getMessage(conversation!.id, message.seq))?.providerMessageId).toMatch(/^sms-/);
  });
});

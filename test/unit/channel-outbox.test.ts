/**
 * The channel outbox's decisions, with an in-memory conversation store and a scripted sender: the service window
 * (and WhatsApp's template outside it), retries with backoff and the platform's Retry-After, the claim that makes a
 * delivery happen once, and the pacing below a channel's documented rate.
 */
import { describe, expect, it } from 'vitest';
import { makeDeliverReply, RetryLater, type OutboxChannel } from '../../shared/application/channel-outbox.use-cases.ts';
import type { Conversation, Message, OutboxState } from '../../shared/domain/conversation/conversation.ts';
import type { ChannelCapabilities, SendResult } from '../../shared/ports/channel.ts';
import type { AuditEvent, ConversationStore } from '../../shared/ports/conversation.store.ts';
import type { CustomerDirectory } from '../../shared/ports/directory.ts';

const NOW = new Date('2026-03-01T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();
const CAPS: ChannelCapabilities = { maxText: { length: 20, unit: 'characters' }, richContent: [], serviceWindowHours: 24 };

function world(options: { lastInboundAt?: string; outbox?: OutboxState } = {}) {
  const conversation: Conversation = { id: 'conv_1', channel: 'whatsapp', customerId: 'cus_1', status: 'agent', seq: 2, failedAnswers: 0, handoffs: 1, createdAt: hoursAgo(30), updatedAt: hoursAgo(1), lastInboundAt: options.lastInboundAt ?? hoursAgo(1) };
  const messages = new Map<number, Message>([[2, { id: 'msg_2', conversationId: 'conv_1', seq: 2, role: 'agent', text: 'Your parcel ships tomorrow morning.', createdAt: NOW.toISOString(), outbox: options.outbox ?? 'pending' }]]);
  const events: AuditEvent[] = [];
  const store = {
    get: async () => conversation,
    getMessage: async (_c: string, seq: number) => messages.get(seq),
    setOutbox: async (_c: string, seq: number, change: { from: readonly OutboxState[]; to: OutboxState; fields?: Record<string, unknown> }) => {
      const m = messages.get(seq);
      if (!m || !change.from.includes(m.outbox!)) return undefined;
      const next = { ...m, ...(change.fields ?? {}), outbox: change.to } as Message;
      messages.set(seq, next);
      return next;
    },
    recordEvent: async (_c: string, e: AuditEvent) => void events.push(e),
  } as unknown as ConversationStore;
  const customers = { get: async () => ({ id: 'cus_1', tier: 'standard', identities: [{ channel: 'whatsapp', value: '8613800000000' }], createdAt: hoursAgo(30) }) } as unknown as CustomerDirectory;
  const published: unknown[] = [];
  const sleeps: number[] = [];
  return { conversation, messages, events, store, customers, published, sleeps };
}

function scripted(results: SendResult[]) {
  const calls: { to: string; text: string }[] = [];
  return {
    calls,
    send: async (to: string, text: string) => {
      calls.push({ to, text });
      return results.shift() ?? { ok: true as const };
    },
  };
}

function deliver(w: ReturnType<typeof world>, channel: OutboxChannel, extra: { attempts?: number } = {}) {
  return makeDeliverReply({
    store: w.store,
    customers: w.customers,
    clock: { now: () => NOW },
    live: { publish: async (_a: string, e: unknown) => void w.published.push(e), channel: () => ({ publish: async () => undefined }) },
    channel: async () => channel,
    sleep: async (ms) => void w.sleeps.push(ms),
    random: () => 0.5,
    ...extra,
  })({ conversationId: 'conv_1', seq: 2 });
}

describe('the channel outbox', () => {
  it('sends within the window, the text cut to the channel, and marks the reply sent with the platform id', async () => {
    const w = world();
    const sender = scripted([{ ok: true, providerMessageId: 'wamid.1' }]);
    const result = await deliver(w, { sender: { channel: 'whatsapp', sendText: sender.send }, capabilities: CAPS });
    expect(result).toEqual({ outcome: 'sent', attempts: 1 });
    expect(sender.calls).toEqual([{ to: '8613800000000', text: 'Your parcel ships t…' }]);
    expect(w.messages.get(2)).toMatchObject({ outbox: 'sent', providerMessageId: 'wamid.1' });
  });

  it('outside the window sends nothing and marks the reply failed, unless the channel has a template', async () => {
    const closed = world({ lastInboundAt: hoursAgo(25) });
    const sender = scripted([]);
    expect(await deliver(closed, { sender: { channel: 'whatsapp', sendText: sender.send }, capabilities: CAPS })).toEqual({ outcome: 'failed', code: 'OUTSIDE_SERVICE_WINDOW' });
    expect(sender.calls).toEqual([]);
    expect(closed.events.map((e) => e.type)).toEqual(['channel-delivery-failed']);

    const withTemplate = world({ lastInboundAt: hoursAgo(25) });
    const plain = scripted([]);
    const template = scripted([{ ok: true, providerMessageId: 'wamid.t' }]);
    const result = await deliver(withTemplate, { sender: { channel: 'whatsapp', sendText: plain.send }, capabilities: CAPS, outsideWindow: { via: 'template:reply_update', send: template.send } });
    expect(result.outcome).toBe('sent');
    expect(plain.calls).toEqual([]);
    expect(template.calls).toHaveLength(1);
    expect(withTemplate.messages.get(2)).toMatchObject({ outbox: 'sent', outboxVia: 'template:reply_update' });
  });

  it("retries a retryable failure with backoff, waiting at least the platform's Retry-After", async () => {
    const w = world();
    const sender = scripted([{ ok: false, retryable: true, code: 'HTTP_429', message: 'slow down', retryAfterMs: 2000 }, { ok: false, retryable: true, code: 'HTTP_503', message: '' }, { ok: true }]);
    expect(await deliver(w, { sender: { channel: 'whatsapp', sendText: sender.send }, capabilities: CAPS })).toEqual({ outcome: 'sent', attempts: 3 });
    // Full jitter at 0.5: 100 ms then 200 ms, but never less than the 2 s the platform asked for.
    expect(w.sleeps).toEqual([2000, 200]);
  });

  it('hands a send that keeps failing back to the stream, the reply left claimed for the retry', async () => {
    const w = world();
    const sender = scripted([0, 1, 2].map(() => ({ ok: false as const, retryable: true, code: 'NETWORK', message: 'reset' })));
    await expect(deliver(w, { sender: { channel: 'whatsapp', sendText: sender.send }, capabilities: CAPS })).rejects.toBeInstanceOf(RetryLater);
    expect(sender.calls).toHaveLength(3);
    expect(w.messages.get(2)?.outbox).toBe('sending');
    // The stream's redelivery takes the claimed reply again.
    const again = scripted([{ ok: true }]);
    expect((await deliver(w, { sender: { channel: 'whatsapp', sendText: again.send }, capabilities: CAPS })).outcome).toBe('sent');
  });

  it('leaves a reply the webhook already answered passively, and one already sent, alone', async () => {
    for (const state of ['passive', 'sent', 'failed'] as const) {
      const w = world({ outbox: state });
      const sender = scripted([]);
      expect((await deliver(w, { sender: { channel: 'whatsapp', sendText: sender.send }, capabilities: CAPS })).outcome).toBe('skipped');
      expect(sender.calls).toEqual([]);
    }
  });

  it('marks a reply on a channel without sending credentials failed, and tells the agents', async () => {
    const w = world();
    expect(await deliver(w, { problem: 'missing secret(s): accessToken' })).toEqual({ outcome: 'failed', code: 'CHANNEL.NOT_CONFIGURED' });
    expect(w.published).toContainEqual(expect.objectContaining({ type: 'message.delivery', outbox: 'failed', code: 'CHANNEL.NOT_CONFIGURED' }));
  });
});

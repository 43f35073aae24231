/**
 * Internal notes and customer profile edits over HTTP against the local runtime: a note is stored for agents only
 * (in the agent context, live on the agent floor) and never reaches the customer (transcript, WebSocket) or the bot;
 * a customer's tags, notes and tier are edited with roles, optimistic concurrency and an audit trail.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/local-platform.ts';

let platform: Platform;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  platform = await startPlatform({ acceptTimeoutSeconds: 60 });
  for (const id of ['agent-li', 'agent-wang', 'agent-chen']) tokens[id] = await platform.runtime.tokenFor(id);
}, 90_000);
afterAll(async () => platform?.runtime.stop());

const as = (who: string) => ({
  get: (path: string) => platform.request('GET', path, { token: tokens[who] }),
  post: (path: string, body: unknown) => platform.request('POST', path, { token: tokens[who], body }),
  patch: (path: string, body: unknown) => platform.request('PATCH', path, { token: tokens[who], body }),
});

async function listen(token: string, conversationId?: string): Promise<{ events: any[]; close(): void }> {
  const events: any[] = [];
  const ws = new WebSocket(`${platform.runtime.webSocketUrl}?token=${token}${conversationId ? `&conversationId=${conversationId}` : ''}`);
  await new Promise((ok, fail) => (ws.once('open', ok), ws.once('error', fail)));
  ws.on('message', (data) => events.push(JSON.parse(data.toString())));
  return { events, close: () => ws.close() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('internal notes', () => {
  it('stores a note for agents, shows it live to another agent, and never to the customer or the bot', async () => {
    // Prepare: a conversation the bot answered; the customer, a second agent's floor and a watching agent listen.
    const customer = await platform.openConversation();
    expect((await platform.say(customer, '我的包裹到哪了')).status).toBe(202);
    await platform.waitFor(async () => (await platform.transcript(customer)).some((m) => m.role === 'bot'), 'the bot answer');
    const customerSocket = await listen(customer.token);
    const floor = await listen(tokens['agent-wang']!);
    const watcher = await listen(tokens['agent-wang']!, customer.conversationId);
    const before = (await as('agent-li').get(`/v1/agent/conversations/${customer.conversationId}`)).body;

    // Act: agent-li, who does not hold the conversation, leaves a note.
    const text = '客户上周也问过，注意语气 (internal)';
    const res = await as('agent-li').post(`/v1/agent/conversations/${customer.conversationId}/notes`, { text: `  ${text} `, clientNoteId: 'n-1' });

    // Assess: stored, in the agent context marked internal with its author, after the bot's answer.
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.stringMatching(/^note_/), agentId: 'agent-li', text, createdAt: expect.any(String) });
    const ctx = (await as('agent-wang').get(`/v1/agent/conversations/${customer.conversationId}`)).body;
    const line = ctx.transcript.find((m: any) => m.id === res.body.id);
    expect(line).toMatchObject({ internal: true, agentId: 'agent-li', text, seq: before.conversation.seq });
    expect(ctx.transcript.at(-1).id).toBe(res.body.id);
    expect(ctx.notes).toEqual([res.body]);
    expect(ctx.events.some((e: any) => e.type === 'note')).toBe(false);

    // Live on the agent floor, with the transcript line the console shows.
    const pushed = await platform.waitFor(async () => floor.events.find((e) => e.type === 'note' && e.conversationId === customer.conversationId), 'the note on the floor');
    expect(pushed).toMatchObject({ audience: 'agents', note: { id: res.body.id, internal: true, agentId: 'agent-li', text } });

    // Never to the customer: not in their transcript, not on their socket (nor the conversation's own channel).
    await sleep(1000);
    expect((await platform.transcript(customer)).map((m) => m.text)).not.toContain(text);
    expect(JSON.stringify(customerSocket.events)).not.toContain(text);
    expect(JSON.stringify(watcher.events)).not.toContain(text);
    // The bot did not run on it: no new message, the conversation's counter unchanged.
    const after = (await as('agent-li').get(`/v1/agent/conversations/${customer.conversationId}`)).body;
    expect(after.conversation.seq).toBe(before.conversation.seq);
    expect(after.transcript.filter((m: any) => !m.internal)).toHaveLength(before.transcript.length);
    customerSocket.close();
    floor.close();
    watcher.close();
  });

  it('is idempotent on clientNoteId', async () => {
    const customer = await platform.openConversation();
    const path = `/v1/agent/conversations/${customer.conversationId}/notes`;
    const first = await as('agent-chen').post(path, { text: 'VIP 客户，优先处理', clientNoteId: 'same-note' });
    const again = await as('agent-chen').post(path, { text: 'VIP 客户，优先处理', clientNoteId: 'same-note' });
    expect(first.status).toBe(201);
    expect(again).toMatchObject({ status: 201, body: first.body });
    const other = await as('agent-chen').post(path, { text: 'second note' });
    expect(other.status).toBe(201);
    const ctx = (await as('agent-chen').get(`/v1/agent/conversations/${customer.conversationId}`)).body;
    expect(ctx.notes.map((n: any) => n.text)).toEqual(['VIP 客户，优先处理', 'second note']);
  });

  it('rejects bad input with 400 and stores nothing, and an unknown conversation with 404', async () => {
    const customer = await platform.openConversation();
    const path = `/v1/agent/conversations/${customer.conversationId}/notes`;
    for (const body of [{ text: '   ' }, { text: 'x'.repeat(5001) }, { text: 'ok', internal: false }, { text: 42 }, { text: 'ok', clientNoteId: 'bad id!' }]) {
      const res = await as('agent-li').post(path, body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.body.error.code).toBe('REQUEST.VALIDATION_FAILED');
    }
    expect((await as('agent-li').post(path, { text: 'x'.repeat(5001) })).body.error.message).toContain('text');
    expect((await as('agent-li').post(path, { text: 'x'.repeat(5000) })).status).toBe(201);
    const ctx = (await as('agent-li').get(`/v1/agent/conversations/${customer.conversationId}`)).body;
    expect(ctx.notes).toHaveLength(1);
    const missing = await as('agent-li').post('/v1/agent/conversations/conv_nope/notes', { text: 'hello' });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'CONVERSATION.NOT_FOUND' } } });
  });
});

describe('editing a customer', () => {
  const customerOf = async (conversationId: string) => (await as('agent-li').get(`/v1/agent/conversations/${conversationId}`)).body.customer;

  it('normalises tags, keeps notes, audits who changed what, and shows it in the agent context', async () => {
    const { conversationId } = await platform.openConversation();
    const { id } = await customerOf(conversationId);
    const res = await as('agent-li').patch(`/v1/agent/customers/${id}`, { tags: ['  Refund ', 'refund', 'late   parcel', 'Refund'], notes: 'Prefers email.  ', expectedVersion: 0 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, tags: ['Refund', 'late parcel'], notes: 'Prefers email.', version: 1, updatedBy: 'agent-li', tier: 'standard' });
    expect(res.body.audit).toEqual([{ at: expect.any(String), by: 'agent-li', changes: { tags: { from: null, to: ['Refund', 'late parcel'] }, notes: { from: null, to: 'Prefers email.' } } }]);
    expect(await customerOf(conversationId)).toMatchObject({ tags: ['Refund', 'late parcel'], notes: 'Prefers email.', version: 1 });

    // The same values again change nothing: no new version, no audit entry.
    const same = await as('agent-li').patch(`/v1/agent/customers/${id}`, { tags: [' Refund', 'late parcel'] });
    expect(same.body).toMatchObject({ version: 1 });
    expect(same.body.audit).toHaveLength(1);
  });

  it('lets a supervisor change the tier and refuses it to an agent with 403', async () => {
    const { conversationId } = await platform.openConversation();
    const { id } = await customerOf(conversationId);
    const refused = await as('agent-li').patch(`/v1/agent/customers/${id}`, { tier: 'vip', tags: ['x'] });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'CUSTOMER.TIER_FORBIDDEN' } } });
    expect(await customerOf(conversationId)).toMatchObject({ tier: 'standard' });
    expect((await customerOf(conversationId)).tags).toBeUndefined();

    const done = await as('agent-chen').patch(`/v1/agent/customers/${id}`, { tier: 'vip' });
    expect(done).toMatchObject({ status: 200, body: { tier: 'vip', version: 1 } });
    expect(done.body.audit[0]).toMatchObject({ by: 'agent-chen', changes: { tier: { from: 'standard', to: 'vip' } } });
    // An agent who leaves the tier as it is may still edit the rest.
    expect((await as('agent-li').patch(`/v1/agent/customers/${id}`, { tier: 'vip', notes: 'ok' })).status).toBe(200);
    expect((await as('agent-chen').patch(`/v1/agent/customers/${id}`, { tier: 'gold' })).status).toBe(400);
  });

  it('refuses a stale expectedVersion with 409 and changes nothing', async () => {
    const { conversationId } = await platform.openConversation();
    const { id } = await customerOf(conversationId);
    expect((await as('agent-li').patch(`/v1/agent/customers/${id}`, { notes: 'first', expectedVersion: 0 })).status).toBe(200);
    const stale = await as('agent-wang').patch(`/v1/agent/customers/${id}`, { notes: 'second', tags: ['late'], expectedVersion: 0 });
    expect(stale).toMatchObject({ status: 409, body: { error: { code: 'CUSTOMER.CONFLICT', details: { currentVersion: 1 } } } });
    const now = await customerOf(conversationId);
    expect(now).toMatchObject({ notes: 'first', version: 1 });
    expect(now.tags).toBeUndefined();
    expect(now.audit).toHaveLength(1);
  });

  it('rejects bad input with 400 naming the field, and an unknown customer with 404', async () => {
    const { conversationId } = await platform.openConversation();
    const { id } = await customerOf(conversationId);
    const cases: [unknown, string][] = [
      [{ tags: ['ok', 'x'.repeat(33)] }, 'tags.1'],
      [{ tags: ['  '] }, 'tags.0'],
      [{ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags'],
      [{ notes: 'n'.repeat(2001) }, 'notes'],
      [{ email: 'not-an-email' }, 'email'],
      [{ name: '' }, 'name'],
      [{ nickname: 'x' }, 'nickname'],
      [{ expectedVersion: -1 }, 'expectedVersion'],
    ];
    for (const [body, field] of cases) {
      const res = await as('agent-li').patch(`/v1/agent/customers/${id}`, body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(JSON.stringify(res.body.error.details?.issues ?? res.body.error.message)).toContain(field);
    }
    expect((await customerOf(conversationId)).version).toBeUndefined();
    const missing = await as('agent-li').patch('/v1/agent/customers/cus_nobody', { tags: ['a'] });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'CUSTOMER.NOT_FOUND' } } });
  });
});

/** Idempotency, bad input and authorisation over HTTP: clear 4xx, never a 5xx, never a partial write. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/local-platform.ts';

let platform: Platform;
let agentToken: string;

beforeAll(async () => {
  platform = await startPlatform();
  agentToken = await platform.runtime.tokenFor('agent-li');
});
afterAll(async () => platform?.runtime.stop());

describe('intake guarantees', () => {
  it('returns the same messageId for the same clientMessageId and stores nothing new', async () => {
    const conversation = await platform.openConversation();
    const first = await platform.say(conversation, '怎么开发票', 'client-1');
    const again = await platform.say(conversation, '怎么开发票', 'client-1');
    expect(again.body.messageId).toBe(first.body.messageId);
    await platform.waitFor(async () => (await platform.transcript(conversation)).some((m) => m.role === 'bot'), 'the bot reply');
    const transcript = await platform.transcript(conversation);
    expect(transcript.filter((m) => m.role === 'customer')).toHaveLength(1);
    expect(transcript.filter((m) => m.role === 'bot')).toHaveLength(1);
  });

  it('processes messages in order, one bot reply per message', async () => {
    const conversation = await platform.openConversation();
    for (const text of ['怎么退货', '退款多久到账', '运费多少']) await platform.say(conversation, text);
    const transcript = await platform.waitFor(async () => {
      const t = await platform.transcript(conversation);
      return t.filter((m) => m.role === 'bot').length === 3 ? t : undefined;
    }, 'three replies');
    expect(transcript.filter((m) => m.role === 'customer').map((m) => m.text)).toEqual(['怎么退货', '退款多久到账', '运费多少']);
    const bots = transcript.filter((m) => m.role === 'bot').map((m) => m.text);
    expect(bots[0]).toMatch(/退货/);
    expect(bots[1]).toMatch(/退款/);
    expect(bots[2]).toMatch(/包邮|运费/);
  });

  it.each([
    ['malformed JSON', { rawBody: '{"clientMessageId": "x", "text": ' }, 400, 'REQUEST.MALFORMED_JSON'],
    ['a missing text', { body: { clientMessageId: 'x' } }, 400, 'REQUEST.VALIDATION_FAILED'],
    ['a missing clientMessageId', { body: { text: 'hi' } }, 400, 'REQUEST.VALIDATION_FAILED'],
    ['an empty text', { body: { clientMessageId: 'x', text: '   ' } }, 400, 'REQUEST.VALIDATION_FAILED'],
    ['an oversized text', { body: { clientMessageId: 'x', text: '长'.repeat(10_001) } }, 413, 'REQUEST.TOO_LARGE'],
    ['an unknown field', { body: { clientMessageId: 'x', text: 'hi', admin: true } }, 400, 'REQUEST.VALIDATION_FAILED'],
    ['a JSON array', { rawBody: '[]' }, 400, 'REQUEST.VALIDATION_FAILED'],
    ['a JSON null', { rawBody: 'null' }, 400, 'REQUEST.VALIDATION_FAILED'],
    ['a number as text', { body: { clientMessageId: 'x', text: 5 } }, 400, 'REQUEST.VALIDATION_FAILED'],
    ['a clientMessageId with spaces', { body: { clientMessageId: 'a b', text: 'hi' } }, 400, 'REQUEST.VALIDATION_FAILED'],
    ['a body over 64 KB', { body: { clientMessageId: 'x', text: 'a'.repeat(70_000) } }, 413, 'REQUEST.TOO_LARGE'],
  ])('rejects %s with a clear error and writes nothing', async (_what, input, status, code) => {
    const conversation = await platform.openConversation();
    const res = await platform.request('POST', `/v1/webchat/conversations/${conversation.conversationId}/messages`, { token: conversation.token, ...input });
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ code, message: expect.any(String) });
    expect(await platform.transcript(conversation)).toEqual([]);
  });

  it('rejects an unknown conversation id with 404, or 403 for a token of another conversation', async () => {
    const mine = await platform.openConversation();
    const theirs = await platform.openConversation();
    const wrong = await platform.request('GET', `/v1/webchat/conversations/${theirs.conversationId}`, { token: mine.token });
    expect(wrong).toMatchObject({ status: 403, body: { error: { code: 'AUTH.FORBIDDEN' } } });
    const unknown = await platform.request('GET', '/v1/agent/conversations/conv_does_not_exist', { token: agentToken });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'CONVERSATION.NOT_FOUND' } } });
  });

  it('reopens a resolved conversation for the bot when the customer writes again', async () => {
    const conversation = await platform.openConversation();
    await platform.say(conversation, '转人工');
    await platform.waitFor(async () => (await platform.request('GET', `/v1/webchat/conversations/${conversation.conversationId}`, { token: conversation.token })).body.status === 'queued', 'queued');
    expect((await platform.request('POST', `/v1/agent/conversations/${conversation.conversationId}/accept`, { token: agentToken, body: {} })).status).toBe(200);
    expect((await platform.request('POST', `/v1/agent/conversations/${conversation.conversationId}/resolve`, { token: agentToken, body: {} })).status).toBe(200);
    await platform.say(conversation, '运费多少');
    const reply = await platform.waitFor(async () => {
      const transcript = await platform.transcript(conversation);
      const asked = transcript.findIndex((m) => m.text === '运费多少');
      return asked >= 0 ? transcript.slice(asked).find((m) => m.role === 'bot') : undefined;
    }, 'the bot answering again');
    expect(reply.text).toMatch(/包邮/);
    expect((await platform.request('GET', `/v1/webchat/conversations/${conversation.conversationId}`, { token: conversation.token })).body.status).toBe('bot');
  });

  it('rejects a bad cursor with 400', async () => {
    const conversation = await platform.openConversation();
    const res = await platform.request('GET', `/v1/webchat/conversations/${conversation.conversationId}/messages?after=abc`, { token: conversation.token });
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'REQUEST.VALIDATION_FAILED' } } });
  });

  it('answers 401 without a token, with a bad token, or with a forged one', async () => {
    const conversation = await platform.openConversation();
    expect((await platform.request('GET', `/v1/webchat/conversations/${conversation.conversationId}`)).status).toBe(401);
    expect((await platform.request('GET', `/v1/webchat/conversations/${conversation.conversationId}`, { token: 'not-a-token' })).status).toBe(401);
    expect((await platform.request('GET', '/v1/agent/queue')).status).toBe(401);
    expect((await platform.request('GET', '/v1/agent/queue', { token: conversation.token })).status).toBe(401);
    const forged = agentToken.split('.').slice(0, 2).join('.') + '.' + Buffer.from('forged').toString('base64url');
    expect((await platform.request('GET', '/v1/agent/queue', { token: forged })).status).toBe(401);
  });

  it('answers 403 to a signed-in user without an agent role', async () => {
    const noRole = await platform.runtime.issuer.issue({ sub: 'agent-li', groups: [] });
    const res = await platform.request('GET', '/v1/agent/queue', { token: noRole });
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'AUTH.FORBIDDEN' } } });
  });

  it('keeps an agent who does not own a conversation from replying to it', async () => {
    const conversation = await platform.openConversation();
    const res = await platform.request('POST', `/v1/agent/conversations/${conversation.conversationId}/messages`, { token: agentToken, body: { text: 'hello' } });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'CONVERSATION.NOT_ASSIGNED_TO_YOU' } } });
  });
});

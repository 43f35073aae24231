/**
 * `npm start` keeps its data: after a restart, conversations, transcripts and the queue are still there, and a
 * conversation that was waiting for an agent resumes its escalation (so an agent can still accept it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/local-platform.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'kefu-restart-'));
let platform: Platform | undefined;

afterAll(async () => {
  await platform?.runtime.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a restart of the local runtime', () => {
  it('keeps the transcript and resumes a queued conversation so that an agent can still accept it', async () => {
    // Prepare: a conversation handed off, then the runtime stops.
    platform = await startPlatform({ dataDir, acceptTimeoutSeconds: 60 });
    const conversation = await platform.openConversation();
    await platform.say(conversation, '怎么退货');
    await platform.waitFor(async () => (await platform!.transcript(conversation)).some((m) => m.role === 'bot'), 'the bot answer');
    await platform.say(conversation, '转人工');
    await platform.waitFor(async () => (await platform!.request('GET', `/v1/webchat/conversations/${conversation.conversationId}`, { token: conversation.token })).body.status === 'queued', 'queued');
    const agentBefore = await platform.runtime.tokenFor('agent-li');
    const offered = async () => (await platform!.request('GET', `/v1/agent/conversations/${conversation.conversationId}`, { token: agentBefore })).body.events.filter((e: any) => e.type === 'offered').length;
    // Stop once the escalation is waiting for an agent (queued, position told, offered), not in the middle of a step.
    const offersBefore = await platform.waitFor(offered, 'the first offer');
    const before = await platform.transcript(conversation);
    await platform.runtime.stop();
    platform = undefined;

    // Act: start again on the same data.
    platform = await startPlatform({ dataDir, acceptTimeoutSeconds: 60 });
    const agent = await platform.runtime.tokenFor('agent-li');

    // Assess: same token still valid, same transcript, still queued, and the resumed escalation takes the accept.
    expect(await platform.transcript(conversation)).toEqual(before);
    const queue = await platform.request('GET', '/v1/agent/queue', { token: agent });
    expect(queue.body.items.map((i: any) => i.conversationId)).toContain(conversation.conversationId);
    await platform.waitFor(async () => {
      const events = (await platform!.request('GET', `/v1/agent/conversations/${conversation.conversationId}`, { token: agent })).body.events;
      return events.filter((e: any) => e.type === 'offered').length > offersBefore;
    }, 'the resumed offer');
    const accepted = await platform.request('POST', `/v1/agent/conversations/${conversation.conversationId}/accept`, { token: agent, body: {} });
    expect(accepted).toMatchObject({ status: 200, body: { status: 'agent' } });
    await platform.waitFor(async () => {
      const events = (await platform!.request('GET', `/v1/agent/conversations/${conversation.conversationId}`, { token: agent })).body.events;
      return events.some((e: any) => e.type === 'assigned');
    }, 'the assignment recorded by the resumed workflow');
  });
});

/**
 * The synthesized workflow definitions (what deploys) run by aws-local-stepfunctions: first with recorded fake
 * functions, to pin the control flow (fallbacks, handoff, re-offer, timeout), then against the whole local runtime
 * for the agent-accept timeout path that ends in an offline ticket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import validator from 'asl-validator';
import { synthesize } from '../../infra/synth.ts';
import { LocalStepFunctions, localWorkflowArn, renderWorkflows, type RenderedWorkflow } from '../../infra/local/stepfunctions-local.ts';
import type { FunctionId } from '../../shared/manifest/manifest.ts';
import { startPlatform, type Platform } from '../support/local-platform.ts';

let workflows: RenderedWorkflow[];

beforeAll(async () => {
  const { statelessTemplate } = await synthesize({ bundling: false, context: { acceptTimeoutSeconds: 1, maxOffers: 2 } });
  workflows = renderWorkflows(statelessTemplate as never);
});

function allStates(definition: Record<string, any>): Array<[string, Record<string, any>]> {
  return Object.entries(definition.States as Record<string, Record<string, any>>).flatMap(([name, state]) =>
    state.Type === 'Parallel' ? [[name, state] as [string, Record<string, any>], ...state.Branches.flatMap(allStates)] : [[name, state] as [string, Record<string, any>]],
  );
}

describe('the synthesized definitions', () => {
  it('are valid Amazon States Language in JSONPath, without JSONata or Assign', () => {
    for (const workflow of workflows) {
      const { isValid, errorsText } = validator(workflow.definition);
      expect(isValid, `${workflow.id}: ${errorsText()}`).toBe(true);
      expect(JSON.stringify(workflow.definition)).not.toMatch(/"QueryLanguage"\s*:\s*"JSONata"|"Assign"/);
    }
  });

  it('give every Task a timeout, a Retry and a Catch', () => {
    for (const workflow of workflows) {
      for (const [name, state] of allStates(workflow.definition)) {
        if (state.Type !== 'Task') continue;
        expect(typeof state.TimeoutSeconds === 'number' || typeof state.TimeoutSecondsPath === 'string', `${workflow.id}.${name} timeout`).toBe(true);
        expect(state.Retry?.length, `${workflow.id}.${name} Retry`).toBeGreaterThan(0);
        expect(state.Catch?.length, `${workflow.id}.${name} Catch`).toBeGreaterThan(0);
      }
    }
  });
});

function fakeFunctions(behaviour: Partial<Record<FunctionId, (payload: any) => unknown>>) {
  const calls: Array<{ functionId: FunctionId; payload: any }> = [];
  const invoke = async (functionId: FunctionId, payload: unknown) => {
    calls.push({ functionId, payload });
    const fn = behaviour[functionId];
    if (!fn) throw new Error(`unexpected call to ${functionId}`);
    return fn(payload);
  };
  return { calls, invoke };
}

const messageInput = { conversationId: 'conv_1', messageId: 'msg_1', seq: 1, text: '我的包裹到哪了', channel: 'webchat' };

describe('the message workflow', () => {
  it('replies without a handoff when the policy says so', async () => {
    const { calls, invoke } = fakeFunctions({
      sentiment: () => ({ polarity: 'neutral', emotion: 'neutral', intensity: 0 }),
      'bot-answer': () => ({ kind: 'answer', entryId: 'kb-1', text: 'here', confidence: 0.9 }),
      'message-policy': () => ({ handoff: false, reply: { messageId: 'msg_2' } }),
    });
    const sfn = new LocalStepFunctions(workflows, invoke);
    const result = await sfn.startSyncExecution({ stateMachineArn: localWorkflowArn('message'), input: JSON.stringify(messageInput) });
    expect(result.status).toBe('SUCCEEDED');
    const decide = calls.find((c) => c.functionId === 'message-policy')!.payload;
    expect(decide).toMatchObject({ action: 'decide', analysis: { answer: { kind: 'answer', entryId: 'kb-1' }, sentiment: { emotion: 'neutral' } } });
  });

  it('falls back to "unavailable" when the bot answer fails, and still decides', async () => {
    const { calls, invoke } = fakeFunctions({
      sentiment: () => ({ polarity: 'negative', emotion: 'angry', intensity: 0.9 }),
      'bot-answer': () => {
        throw Object.assign(new Error('model down'), { name: 'ProviderUnavailable' });
      },
      'message-policy': () => ({ handoff: false }),
    });
    const sfn = new LocalStepFunctions(workflows, invoke);
    const result = await sfn.startSyncExecution({ stateMachineArn: localWorkflowArn('message'), input: JSON.stringify(messageInput) });
    expect(result.status).toBe('SUCCEEDED');
    expect(calls.find((c) => c.functionId === 'message-policy')!.payload.analysis.answer).toMatchObject({ kind: 'unavailable' });
  });

  it('starts the escalation workflow by name when the policy hands off', async () => {
    const escalation = { name: 'conv_1-handoff-1', input: { conversationId: 'conv_1', reason: 'requested', priority: 5, maxOffers: 1 } };
    const { calls, invoke } = fakeFunctions({
      sentiment: () => ({ polarity: 'neutral', emotion: 'neutral', intensity: 0 }),
      'bot-answer': () => ({ kind: 'out_of_scope', confidence: 0 }),
      'message-policy': () => ({ handoff: true, reason: 'requested', escalation }),
      routing: (p) => (p.action === 'enqueue' ? { queued: true, position: 1 } : { offered: true }),
      ticket: () => ({ skipped: false, ticketId: 'tkt_1' }),
    });
    const sfn = new LocalStepFunctions(workflows, invoke);
    const result = await sfn.startSyncExecution({ stateMachineArn: localWorkflowArn('message'), input: JSON.stringify(messageInput) });
    expect(result.status).toBe('SUCCEEDED');
    const executionArn = `${localWorkflowArn('escalation').replace(':stateMachine:', ':execution:')}:conv_1-handoff-1`;
    expect(sfn.describeExecution({ executionArn }).status).toBe('RUNNING');
    await sfn.settled(executionArn);
    expect(calls.filter((c) => c.functionId === 'routing').map((c) => c.payload.action)).toEqual(['enqueue', 'offer']);
    await sfn.stop();
  });

  it('fails (so that the stream redelivers) when the policy step fails', async () => {
    const { invoke } = fakeFunctions({
      sentiment: () => ({ polarity: 'neutral', emotion: 'neutral', intensity: 0 }),
      'bot-answer': () => ({ kind: 'out_of_scope', confidence: 0 }),
      'message-policy': () => {
        throw Object.assign(new Error('conditional write failed'), { name: 'CONVERSATION.BUSY' });
      },
    });
    const sfn = new LocalStepFunctions(workflows, invoke);
    const result = await sfn.startSyncExecution({ stateMachineArn: localWorkflowArn('message'), input: JSON.stringify(messageInput) });
    expect(result).toMatchObject({ status: 'FAILED', error: 'MessageWorkflowFailed' });
  }, 30_000);
});

describe('the escalation workflow', () => {
  const input = { conversationId: 'conv_1', reason: 'requested', priority: 5, maxOffers: 2 };

  it('completes when an agent sends the task token back', async () => {
    let token = '';
    const { calls, invoke } = fakeFunctions({
      routing: (p) => {
        if (p.action === 'offer') token = p.taskToken;
        return { ok: true };
      },
    });
    const sfn = new LocalStepFunctions(workflows, invoke);
    const { executionArn } = sfn.startExecution({ stateMachineArn: localWorkflowArn('escalation'), name: 'accept', input: JSON.stringify(input) });
    await new Promise((r) => setTimeout(r, 200));
    sfn.sendTaskSuccess({ taskToken: token, output: JSON.stringify({ agentId: 'agent-li' }) });
    await sfn.settled(executionArn);
    expect(sfn.describeExecution({ executionArn }).status).toBe('SUCCEEDED');
    expect(calls.at(-1)?.payload).toMatchObject({ action: 'assigned', agentId: 'agent-li' });
  });

  it('re-offers after the accept timeout, then leaves an offline message as a ticket', async () => {
    const { calls, invoke } = fakeFunctions({ routing: () => ({ ok: true }), ticket: () => ({ skipped: false, ticketId: 'tkt_1' }) });
    const sfn = new LocalStepFunctions(workflows, invoke);
    const { executionArn } = sfn.startExecution({ stateMachineArn: localWorkflowArn('escalation'), name: 'timeout', input: JSON.stringify(input) });
    await sfn.settled(executionArn);
    expect(sfn.describeExecution({ executionArn }).status).toBe('SUCCEEDED');
    expect(calls.map((c) => `${c.functionId}:${c.payload.action}`)).toEqual(['routing:enqueue', 'routing:offer', 'routing:offer', 'ticket:offline']);
    expect(calls.filter((c) => c.payload.action === 'offer').map((c) => c.payload.attempt)).toEqual([1, 2]);
  });

  it('refuses a token once its offer timed out', async () => {
    let token = '';
    const { invoke } = fakeFunctions({
      routing: (p) => {
        if (p.action === 'offer' && !token) token = p.taskToken;
        return { ok: true };
      },
      ticket: () => ({ skipped: false }),
    });
    const sfn = new LocalStepFunctions(workflows, invoke);
    const { executionArn } = sfn.startExecution({ stateMachineArn: localWorkflowArn('escalation'), name: 'late', input: JSON.stringify(input) });
    await sfn.settled(executionArn);
    expect(() => sfn.sendTaskSuccess({ taskToken: token, output: '{}' })).toThrow(/not waiting/);
  });
});

describe('the accept-timeout path on the whole local runtime', () => {
  let platform: Platform;
  beforeAll(async () => {
    platform = await startPlatform({ acceptTimeoutSeconds: 1, maxOffers: 2 });
  });
  afterAll(async () => platform?.runtime.stop());

  it('turns an unanswered handoff into a ticket and tells the customer when to expect an answer', async () => {
    const conversation = await platform.openConversation();
    await platform.say(conversation, '转人工');
    const view = await platform.waitFor(async () => {
      const res = await platform.request('GET', `/v1/webchat/conversations/${conversation.conversationId}`, { token: conversation.token });
      return res.body.ticketId ? res.body : undefined;
    }, 'the offline ticket', 20_000);
    expect(view).toMatchObject({ status: 'resolved', ticketId: expect.stringMatching(/^tkt_/) });
    const transcript = await platform.transcript(conversation);
    expect(transcript.at(-1)).toMatchObject({ role: 'system', text: expect.stringContaining(view.ticketId) });
    const agent = await platform.runtime.tokenFor('agent-li');
    const context = await platform.request('GET', `/v1/agent/conversations/${conversation.conversationId}`, { token: agent });
    expect(context.body.tickets).toHaveLength(1);
    expect(context.body.events.map((e: any) => e.type)).toEqual(expect.arrayContaining(['handoff.requested', 'queued', 'offered', 'offline.ticket']));
    const late = await platform.request('POST', `/v1/agent/conversations/${conversation.conversationId}/accept`, { token: agent, body: {} });
    expect(late).toMatchObject({ status: 409, body: { error: { code: 'CONVERSATION.NOT_QUEUED' } } });
  });
});

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
      routing: (p) => (p.action === 'enqueue' ? { route: 'route' } : p.action === 'route' ? { outcome: 'offered', agentId: 'agent-li' } : { parked: true }),
      ticket: () => ({ skipped: false, ticketId: 'tkt_1' }),
    });
    const sfn = new LocalStepFunctions(workflows, invoke);
    const result = await sfn.startSyncExecution({ stateMachineArn: localWorkflowArn('message'), input: JSON.stringify(messageInput) });
    expect(result.status).toBe('SUCCEEDED');
    const executionArn = `${localWorkflowArn('escalation').replace(':stateMachine:', ':execution:')}:conv_1-handoff-1`;
    expect(sfn.describeExecution({ executionArn }).status).toBe('RUNNING');
    await new Promise((r) => setTimeout(r, 300));
    expect(calls.filter((c) => c.functionId === 'routing').map((c) => c.payload.action)).toEqual(['enqueue', 'route', 'park-offer']);
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
  const steps = (calls: Array<{ functionId: FunctionId; payload: any }>) => calls.map((c) => `${c.functionId}:${c.payload.action}`);

  /** Routing that answers each action from a script (the last answer repeats), recording the tokens it is given. */
  function scripted(script: Record<string, unknown[]>, tokens: string[] = []) {
    const seen: Record<string, number> = {};
    return (p: any) => {
      if (p.taskToken) tokens.push(p.taskToken);
      const answers = script[p.action] ?? [{ ok: true }];
      const i = Math.min(seen[p.action] ?? 0, answers.length - 1);
      seen[p.action] = (seen[p.action] ?? 0) + 1;
      return answers[i];
    };
  }

  it('offers to the routed agent and records the assignment when the agent accepts', async () => {
    const tokens: string[] = [];
    const { calls, invoke } = fakeFunctions({ routing: scripted({ enqueue: [{ route: 'route' }], route: [{ outcome: 'offered', agentId: 'agent-li' }] }, tokens) });
    const sfn = new LocalStepFunctions(workflows, invoke);
    const { executionArn } = sfn.startExecution({ stateMachineArn: localWorkflowArn('escalation'), name: 'accept', input: JSON.stringify(input) });
    await new Promise((r) => setTimeout(r, 200));
    sfn.sendTaskSuccess({ taskToken: tokens[0]!, output: JSON.stringify({ outcome: 'accepted', agentId: 'agent-li' }) });
    await sfn.settled(executionArn);
    expect(sfn.describeExecution({ executionArn }).status).toBe('SUCCEEDED');
    expect(steps(calls)).toEqual(['routing:enqueue', 'routing:route', 'routing:park-offer', 'routing:assigned']);
    expect(calls.at(-1)?.payload).toMatchObject({ action: 'assigned', agentId: 'agent-li' });
  });

  it('takes the offer away after the accept timeout and offers to the next agent; a decline does the same', async () => {
    const tokens: string[] = [];
    const { calls, invoke } = fakeFunctions({
      routing: scripted({ enqueue: [{ route: 'route' }], route: [{ outcome: 'offered', agentId: 'a1' }, { outcome: 'offered', agentId: 'a2' }, { outcome: 'offered', agentId: 'a3' }] }, tokens),
    });
    const sfn = new LocalStepFunctions(workflows, invoke);
    const { executionArn } = sfn.startExecution({ stateMachineArn: localWorkflowArn('escalation'), name: 'reoffer', input: JSON.stringify(input) });
    // a1 lets the offer expire (accept timeout 1 s); a2 declines; a3 accepts.
    await new Promise((r) => setTimeout(r, 1500));
    await new Promise((r) => setTimeout(r, 100));
    sfn.sendTaskSuccess({ taskToken: tokens[1]!, output: JSON.stringify({ outcome: 'declined', agentId: 'a2' }) });
    await new Promise((r) => setTimeout(r, 150));
    sfn.sendTaskSuccess({ taskToken: tokens[2]!, output: JSON.stringify({ outcome: 'accepted', agentId: 'a3' }) });
    await sfn.settled(executionArn);
    expect(steps(calls)).toEqual([
      'routing:enqueue', 'routing:route', 'routing:park-offer', 'routing:expire-offer',
      'routing:route', 'routing:park-offer', 'routing:route', 'routing:park-offer', 'routing:assigned',
    ]);
    expect(calls.find((c) => c.payload.action === 'expire-offer')?.payload).toMatchObject({ agentId: 'a1' });
  });

  it('waits for a free seat, goes back to routing when woken, and overflows when the wait is over', async () => {
    const tokens: string[] = [];
    const { calls, invoke } = fakeFunctions({
      routing: scripted({
        enqueue: [{ route: 'route' }],
        route: [{ outcome: 'waiting', waitSeconds: 30 }, { outcome: 'overflow' }, { outcome: 'offered', agentId: 'sam' }],
        overflow: [{ outcome: 'rerouted', groupId: 'overflow' }],
      }, tokens),
    });
    const sfn = new LocalStepFunctions(workflows, invoke);
    const { executionArn } = sfn.startExecution({ stateMachineArn: localWorkflowArn('escalation'), name: 'wait', input: JSON.stringify(input) });
    await new Promise((r) => setTimeout(r, 200));
    sfn.sendTaskSuccess({ taskToken: tokens[0]!, output: JSON.stringify({ outcome: 'woken' }) });
    await new Promise((r) => setTimeout(r, 300));
    sfn.sendTaskSuccess({ taskToken: tokens.at(-1)!, output: JSON.stringify({ outcome: 'accepted', agentId: 'sam' }) });
    await sfn.settled(executionArn);
    expect(steps(calls)).toEqual([
      'routing:enqueue', 'routing:route', 'routing:park-wait', 'routing:route',
      'routing:overflow', 'routing:route', 'routing:park-offer', 'routing:assigned',
    ]);
  });

  it('leaves an offline message as a ticket after hours, and when overflow has nowhere to go', async () => {
    const afterHours = fakeFunctions({ routing: scripted({ enqueue: [{ route: 'offline', opensAt: '2026-11-23T01:00:00.000Z' }] }), ticket: () => ({ skipped: false, ticketId: 'tkt_1' }) });
    let sfn = new LocalStepFunctions(workflows, afterHours.invoke);
    let run = sfn.startExecution({ stateMachineArn: localWorkflowArn('escalation'), name: 'closed', input: JSON.stringify(input) });
    await sfn.settled(run.executionArn);
    expect(steps(afterHours.calls)).toEqual(['routing:enqueue', 'ticket:offline']);

    const exhausted = fakeFunctions({ routing: scripted({ enqueue: [{ route: 'route' }], route: [{ outcome: 'overflow' }], overflow: [{ outcome: 'offline' }] }), ticket: () => ({ skipped: false, ticketId: 'tkt_2' }) });
    sfn = new LocalStepFunctions(workflows, exhausted.invoke);
    run = sfn.startExecution({ stateMachineArn: localWorkflowArn('escalation'), name: 'exhausted', input: JSON.stringify(input) });
    await sfn.settled(run.executionArn);
    expect(sfn.describeExecution({ executionArn: run.executionArn }).status).toBe('SUCCEEDED');
    expect(steps(exhausted.calls)).toEqual(['routing:enqueue', 'routing:route', 'routing:overflow', 'ticket:offline']);
  });

  it('refuses a token once its offer timed out', async () => {
    const tokens: string[] = [];
    const { invoke } = fakeFunctions({
      routing: scripted({ enqueue: [{ route: 'route' }], route: [{ outcome: 'offered', agentId: 'a1' }, { outcome: 'overflow' }], overflow: [{ outcome: 'offline' }] }, tokens),
      ticket: () => ({ skipped: false }),
    });
    const sfn = new LocalStepFunctions(workflows, invoke);
    const { executionArn } = sfn.startExecution({ stateMachineArn: localWorkflowArn('escalation'), name: 'late', input: JSON.stringify(input) });
    await sfn.settled(executionArn);
    expect(() => sfn.sendTaskSuccess({ taskToken: tokens[0]!, output: '{}' })).toThrow(/not waiting/);
  });
});

describe('the accept-timeout path on the whole local runtime', () => {
  let platform: Platform;
  beforeAll(async () => {
    platform = await startPlatform({ acceptTimeoutSeconds: 1, maxOffers: 2 });
    // No overflow group for this path: two expired offers, then the offline message.
    const { routingStore } = await import('../../shared/adapters/wiring/storage.ts');
    await routingStore().putGroup({ id: 'default', name: 'Frontline', maxWaitSeconds: 30 });
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
    expect(context.body.events.map((e: any) => e.type)).toEqual(expect.arrayContaining(['handoff.requested', 'queued', 'offered', 'offer.expired', 'offline.ticket']));
    const late = await platform.request('POST', `/v1/agent/conversations/${conversation.conversationId}/accept`, { token: agent, body: {} });
    expect(late).toMatchObject({ status: 409, body: { error: { code: 'CONVERSATION.NOT_QUEUED' } } });
  });
});

/** The policy step keeps weak and missing answers for review, and never a handoff request or a flow turn. */
import { describe, expect, it } from 'vitest';
import { makeDecideReply } from '../../shared/application/message-processing.use-cases.ts';
import type { UnansweredQuestionInput } from '../../shared/application/unanswered.use-cases.ts';
import type { Conversation } from '../../shared/domain/conversation/conversation.ts';
import type { AnswerOutcome } from '../../shared/domain/policy/reply-policy.ts';

const conversation: Conversation = { id: 'conv_1', channel: 'webchat', customerId: 'cus_1', status: 'bot', seq: 1, failedAnswers: 0, handoffs: 0, createdAt: '2026-11-22T00:00:00Z', updatedAt: '2026-11-22T00:00:00Z' };

function setup(flowHandles = false) {
  const recorded: UnansweredQuestionInput[] = [];
  const store = {
    get: async () => conversation,
    append: async (_id: string, draft: { id: string; text: string }) => ({ message: { ...draft, conversationId: 'conv_1', seq: 2, role: 'bot', createdAt: '' }, duplicate: false }),
    recordEvent: async () => undefined,
  };
  const live = { publish: async () => undefined, channel: () => ({ publish: async () => undefined }) };
  const decideReply = makeDecideReply({
    store: store as never,
    live,
    clock: { now: () => new Date('2026-11-22T00:00:00Z') },
    ids: { next: () => 'x' },
    escalation: { maxOffers: 3 },
    recordUnanswered: async (q) => void recorded.push(q),
    flowTurn: async () => (flowHandles ? { handled: true, messages: ['请告诉我订单号'] } : { handled: false, messages: [] }),
  });
  const ask = (text: string, answer: AnswerOutcome) => decideReply({ conversationId: 'conv_1', messageId: 'm1', text, analysis: { answer } });
  return { recorded, ask };
}

describe('the review list', () => {
  it('keeps a declined question and a weak answer, not a confident one', async () => {
    const { recorded, ask } = setup();
    await ask('能寄纸质发票吗', { kind: 'out_of_scope', confidence: 0.1, alternatives: [] });
    await ask('发票抬头', { kind: 'answer', entryId: 'kb-invoice', text: '…', confidence: 0.66 });
    await ask('怎么开发票', { kind: 'answer', entryId: 'kb-invoice', text: '…', confidence: 0.95 });
    expect(recorded.map((q) => [q.text, q.outcome])).toEqual([['能寄纸质发票吗', 'out_of_scope'], ['发票抬头', 'low_confidence']]);
  });

  it('keeps neither a handoff request nor a message a flow took', async () => {
    const { recorded, ask } = setup();
    await ask('转人工', { kind: 'out_of_scope', confidence: 0.1, alternatives: [] });
    const flow = setup(true);
    await flow.ask('KF20240008', { kind: 'out_of_scope', confidence: 0.1, alternatives: [] });
    expect(recorded).toEqual([]);
    expect(flow.recorded).toEqual([]);
  });
});

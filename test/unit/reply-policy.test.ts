import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../shared/domain/conversation/conversation.ts';
import { isHandoffRequest } from '../../shared/domain/conversation/handoff-request.ts';
import { decide, decideFlowTurn, defaultPolicyOptions } from '../../shared/domain/policy/reply-policy.ts';
import { scoreSentiment } from '../../shared/domain/sentiment/local-sentiment-engine.ts';

function conversation(overrides: Partial<Conversation> = {}): Conversation {
  return { id: 'conv_1', channel: 'webchat', customerId: 'cus_1', status: 'bot', seq: 1, failedAnswers: 0, handoffs: 0, createdAt: '2026-11-22T00:00:00Z', updatedAt: '2026-11-22T00:00:00Z', ...overrides };
}
const answered = { kind: 'answer' as const, entryId: 'kb-1', text: 'Here is how.', confidence: 0.9 };
const unknown = { kind: 'out_of_scope' as const, confidence: 0.1 };

describe('the reply policy', () => {
  it.each(['转人工', '轉人工', '人工客服', '我要人工服务', 'human', 'talk to a human please', 'Agent!'])('hands off when the customer writes %s', (text) => {
    expect(decide({ conversation: conversation(), text, answer: answered }).kind).toBe('handoff');
  });

  it.each(['人工智能是什么', 'my agent number is 5', 'humane treatment'])('does not hand off on %s', (text) => {
    expect(isHandoffRequest(text)).toBe(false);
  });

  it('replies with the answer when the bot knows it', () => {
    expect(decide({ conversation: conversation(), text: 'how?', answer: answered })).toMatchObject({ kind: 'reply', entryId: 'kb-1', answered: true });
  });

  it('says it does not know, then hands off after two failed answers in a row', () => {
    expect(decide({ conversation: conversation(), text: '??', answer: unknown })).toMatchObject({ kind: 'reply', answered: false });
    expect(decide({ conversation: conversation({ failedAnswers: 1 }), text: '??', answer: unknown })).toMatchObject({ kind: 'handoff', reason: 'repeated_failure' });
  });

  it('moves an angry customer to a human first, with a higher priority', () => {
    const sentiment = scoreSentiment('你们太慢了！！！我要投诉，差评！');
    const decision = decide({ conversation: conversation(), text: 'x', sentiment, answer: answered });
    expect(decision).toMatchObject({ kind: 'handoff', reason: 'negative_emotion' });
    if (decision.kind === 'handoff') expect(decision.priority).toBeGreaterThan(5);
  });

  it('acknowledges the emotion before the answer when the customer is upset', () => {
    const sentiment = scoreSentiment('我很着急，包裹怎么还没到');
    const decision = decide({ conversation: conversation(), text: 'x', sentiment, answer: answered });
    expect(decision.kind === 'reply' ? decision.text : '').toMatch(/^理解您的心情/);
  });
});

describe('the handoff policy beyond explicit requests', () => {
  it('hands human-first categories to a human instead of answering', () => {
    const complaint = { ...answered, category: 'complaints' };
    expect(decide({ conversation: conversation(), text: '我要投诉', answer: complaint })).toMatchObject({ kind: 'handoff', reason: 'human_first' });
    const options = { ...defaultPolicyOptions, humanFirstCategories: ['refunds'] };
    expect(decide({ conversation: conversation(), text: 'refund?', answer: { ...answered, category: 'refunds' } }, options)).toMatchObject({ kind: 'handoff', reason: 'human_first' });
    expect(decide({ conversation: conversation(), text: '我要投诉', answer: complaint }, options)).toMatchObject({ kind: 'reply' });
  });

  it('hands over when the same entry is asked again right after it was served, in the same language', () => {
    const sentiment = scoreSentiment('怎么开发票');
    const after = conversation({ lastEntryId: 'kb-1', lastEntryLanguage: sentiment.language });
    expect(decide({ conversation: after, text: '怎么开发票', sentiment, answer: answered })).toMatchObject({ kind: 'handoff', reason: 'loop' });
    expect(decide({ conversation: after, text: 'how do I get an invoice', sentiment: scoreSentiment('how do I get an invoice'), answer: answered })).toMatchObject({ kind: 'reply' });
    expect(decide({ conversation: conversation({ lastEntryId: 'kb-2', lastEntryLanguage: sentiment.language }), text: '怎么开发票', sentiment, answer: answered })).toMatchObject({ kind: 'reply' });
  });

  it('turns a flow turn into replies, or a handoff that keeps the flow reason apart from an explicit request', () => {
    expect(decideFlowTurn({ messages: ['a', 'b'] }, { conversation: conversation() })).toEqual({ kind: 'reply', text: 'a\n\nb', answered: true });
    expect(decideFlowTurn({ messages: [], handoff: { reason: 'requested' } }, { conversation: conversation() })).toMatchObject({ kind: 'handoff', reason: 'requested' });
    expect(decideFlowTurn({ messages: ['抱歉，查不到'], handoff: { reason: 'order_not_found' } }, { conversation: conversation() })).toMatchObject({ kind: 'handoff', reason: 'flow_unresolved', text: '抱歉，查不到' });
  });
});

describe('weak answers', () => {
  const weak = { ...answered, confidence: 0.66 };
  it('serves a weak answer once, and hands over on the second weak or missing answer in a row', () => {
    expect(decide({ conversation: conversation(), text: 'q', answer: weak })).toMatchObject({ kind: 'reply', answered: true, weak: true });
    expect(decide({ conversation: conversation({ failedAnswers: 1 }), text: 'q', answer: weak })).toMatchObject({ kind: 'handoff', reason: 'repeated_failure' });
    expect(decide({ conversation: conversation({ failedAnswers: 1 }), text: 'q', answer: answered })).toMatchObject({ kind: 'reply', answered: true });
  });
});

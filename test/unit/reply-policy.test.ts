import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../shared/domain/conversation/conversation.ts';
import { isHandoffRequest } from '../../shared/domain/conversation/handoff-request.ts';
import { decide, decideFlowTurn, defaultPolicyOptions, policyOptionsFrom, priorityFor, toneFor } from '../../shared/domain/policy/reply-policy.ts';
import { updateMood, type ConversationMood } from '../../shared/domain/sentiment/mood.ts';
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
    expect(decision.kind === 'reply' ? decision.text : '').toMatch(/^理解您着急的心情/);
    expect(decision).toMatchObject({ kind: 'reply', tone: { emotion: 'anxious', style: 'soothe' } });
  });

  it('soothes each negative emotion with its own phrase, in the customer\'s language, and a company can replace them', () => {
    const angry = { ...scoreSentiment('terrible service'), emotion: 'angry' as const, intensity: 0.3, polarity: 'negative' as const };
    expect(toneFor(angry, 'en')?.acknowledgement).toMatch(/sorry/i);
    expect(toneFor({ ...angry, emotion: 'disappointed', intensity: 0.5 }, 'zh')?.acknowledgement).toBe('很抱歉让您失望了。');
    // A plain question the lexicon reads as mildly disappointed or anxious gets its answer without an apology.
    expect(toneFor(scoreSentiment('怎么退货'), 'zh')).toMatchObject({ style: 'plain', acknowledgement: '' });
    expect(toneFor(scoreSentiment('where is my parcel'), 'en')).toMatchObject({ style: 'plain', acknowledgement: '' });
    expect(toneFor(scoreSentiment('东西坏了，有点失望'), 'zh')?.acknowledgement).toBe('很抱歉让您失望了。');
    const custom = { disappointed: { zh: '真不好意思，' } };
    expect(toneFor({ ...angry, emotion: 'disappointed', intensity: 0.5 }, 'zh', custom)?.acknowledgement).toBe('真不好意思，');
    // A happy customer gets a warm tone and no apology; a neutral one no hint at all.
    expect(toneFor(scoreSentiment('谢谢，太好了'), 'zh')).toMatchObject({ style: 'warm', acknowledgement: '' });
    expect(toneFor(scoreSentiment('我的包裹到哪了'), 'zh')).toBeUndefined();
  });

  it('hands an anxious customer to a human when anxiety passes its threshold, not below it', () => {
    const anxious = { ...scoreSentiment('急急急，怎么还没到'), emotion: 'anxious' as const, polarity: 'negative' as const };
    expect(decide({ conversation: conversation(), text: 'x', sentiment: { ...anxious, intensity: 0.8 }, answer: answered })).toMatchObject({ kind: 'handoff', reason: 'negative_emotion' });
    expect(decide({ conversation: conversation(), text: 'x', sentiment: { ...anxious, intensity: 0.5 }, answer: answered })).toMatchObject({ kind: 'reply' });
    const strict = { ...defaultPolicyOptions, anxietyThreshold: 0.4 };
    expect(decide({ conversation: conversation(), text: 'x', sentiment: { ...anxious, intensity: 0.5 }, answer: answered }, strict)).toMatchObject({ kind: 'handoff' });
  });

  it('hands off when the mood worsened steadily over the last turns, with one more point of priority', () => {
    let mood: ConversationMood | undefined;
    const at = '2026-11-22T00:00:00Z';
    for (const [i, text] of ['我想查一下订单', '怎么还没发货', '太慢了，很不满意'].entries()) mood = updateMood(mood, scoreSentiment(text), `m${i}`, at);
    expect(mood).toMatchObject({ trend: 'worsening', turns: 3 });
    const sentiment = scoreSentiment('太慢了，很不满意');
    const decision = decide({ conversation: conversation(), text: 'x', sentiment, answer: answered, mood });
    expect(decision).toMatchObject({ kind: 'handoff', reason: 'mood_worsening' });
    expect(priorityFor(sentiment, mood)).toBe(priorityFor(sentiment) + 1);
    // Off when configured so.
    expect(decide({ conversation: conversation(), text: 'x', sentiment, answer: answered, mood }, { ...defaultPolicyOptions, moodTrendTurns: 0 }).kind).toBe('reply');
  });

  it('ranks angry above anxious above disappointed above calm in the queue', () => {
    const base = scoreSentiment('x');
    const p = (emotion: 'angry' | 'anxious' | 'disappointed' | 'neutral') => priorityFor({ ...base, emotion, intensity: 1, polarity: 'negative' });
    expect(p('angry')).toBeGreaterThan(p('anxious'));
    expect(p('anxious')).toBeGreaterThan(p('disappointed'));
    expect(p('disappointed')).toBeGreaterThan(p('neutral'));
  });

  it('reads its options from configuration and refuses bad values', () => {
    expect(policyOptionsFrom({})).toEqual(defaultPolicyOptions);
    expect(policyOptionsFrom({ KEFU_ANXIETY_HANDOFF_THRESHOLD: '0.5', KEFU_MOOD_TREND_TURNS: '4', KEFU_SOOTHING_PHRASES: '{"angry":{"en":"So sorry. "}}' })).toMatchObject({
      anxietyThreshold: 0.5,
      moodTrendTurns: 4,
      soothingPhrases: { angry: { en: 'So sorry. ' } },
    });
    expect(() => policyOptionsFrom({ KEFU_ANGER_HANDOFF_THRESHOLD: '2' })).toThrow(/KEFU_ANGER_HANDOFF_THRESHOLD/);
    expect(() => policyOptionsFrom({ KEFU_MOOD_TREND_TURNS: '-1' })).toThrow(/KEFU_MOOD_TREND_TURNS/);
    expect(() => policyOptionsFrom({ KEFU_SOOTHING_PHRASES: '{"grumpy":{"en":"x"}}' })).toThrow(/KEFU_SOOTHING_PHRASES/);
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

/**
 * Conversation analytics: which facts a conversation change records (hand-built old / new images), that they are
 * stable under redelivery (same ids), and the dashboard's arithmetic over hand-counted daily counters.
 */
import { describe, expect, it } from 'vitest';
import { bucketOf, conversationFacts, dayOf, summarise, type DailyCounter } from '../../shared/domain/analytics/conversation-analytics.ts';
import type { Conversation } from '../../shared/domain/conversation/conversation.ts';
import { reportPeriod } from '../../shared/application/analytics.use-cases.ts';

const ZONE = 'Asia/Shanghai';
const base: Conversation = {
  id: 'conv_1',
  channel: 'webchat',
  customerId: 'cus_1',
  status: 'bot',
  seq: 0,
  failedAnswers: 0,
  handoffs: 0,
  createdAt: '2026-11-20T01:00:00.000Z',
  updatedAt: '2026-11-20T01:00:00.000Z',
};
const ids = (facts: ReturnType<typeof conversationFacts>) => facts.map((f) => f.id);

describe('conversation facts', () => {
  it('counts a conversation at its first message, on the day of that message in the report time zone', () => {
    expect(conversationFacts(undefined, base, ZONE)).toEqual([]);
    // 16:30 UTC on the 20th is 00:30 on the 21st in Shanghai.
    const first = { ...base, seq: 1, lastMessageAt: '2026-11-20T16:30:00.000Z', updatedAt: '2026-11-20T16:30:00.000Z' };
    const facts = conversationFacts(base, first, ZONE);
    expect(facts).toEqual([{ id: 'engaged', conversationId: 'conv_1', day: '2026-11-21', counters: [{ metric: 'conversations', dimension: 'webchat', count: 1 }] }]);
    expect(conversationFacts(first, { ...first, seq: 2 }, ZONE)).toEqual([]);
    expect(dayOf('2026-11-20T16:30:00.000Z', 'UTC')).toBe('2026-11-20');
  });

  it('counts the first handoff of a conversation as handed off, every handoff by its reason', () => {
    const queued = { ...base, seq: 3, status: 'queued' as const, handoffs: 1, handoffReason: 'requested', queuedAt: '2026-11-20T02:00:00.000Z' };
    const first = conversationFacts({ ...base, seq: 2 }, queued, ZONE);
    expect(first).toEqual([
      { id: 'handoff#1', conversationId: 'conv_1', day: '2026-11-20', counters: [{ metric: 'handoffReason', dimension: 'requested', count: 1 }, { metric: 'handedOff', dimension: 'webchat', count: 1 }] },
    ]);
    const second = conversationFacts({ ...queued, status: 'bot' }, { ...queued, handoffs: 2, handoffReason: 'angry' }, ZONE);
    expect(second).toEqual([{ id: 'handoff#2', conversationId: 'conv_1', day: '2026-11-20', counters: [{ metric: 'handoffReason', dimension: 'angry', count: 1 }] }]);
  });

  it('measures queue wait, first response and handling time in seconds with their histogram bucket', () => {
    const queued = { ...base, seq: 3, status: 'queued' as const, handoffs: 1, queuedAt: '2026-11-20T02:00:00.000Z', groupId: 'vip' };
    const accepted = { ...queued, status: 'agent' as const, assignedAgentId: 'agent-li', acceptedAt: '2026-11-20T02:00:45.000Z' };
    expect(conversationFacts(queued, accepted, ZONE)).toEqual([
      { id: 'accepted#2026-11-20T02:00:45.000Z', conversationId: 'conv_1', day: '2026-11-20', counters: [{ metric: 'queueWait', dimension: 'vip', count: 1, sum: 45, bucket: 1 }] },
    ]);
    const responded = { ...accepted, respondedAt: '2026-11-20T02:01:30.000Z' };
    expect(conversationFacts(accepted, responded, ZONE)[0]!.counters).toEqual([
      { metric: 'firstResponse', dimension: 'webchat', count: 1, sum: 90, bucket: 2 },
      { metric: 'agentFirstResponse', dimension: 'agent-li', count: 1, sum: 90, bucket: 2 },
    ]);
    const resolved = { ...responded, status: 'resolved' as const, resolvedAt: '2026-11-20T02:20:45.000Z', resolution: 'agent' as const };
    expect(conversationFacts(responded, resolved, ZONE)).toEqual([
      {
        id: 'resolved#2026-11-20T02:20:45.000Z',
        conversationId: 'conv_1',
        day: '2026-11-20',
        counters: [
          { metric: 'resolved', dimension: 'agent', count: 1 },
          { metric: 'handled', dimension: 'agent-li', count: 1, sum: 1200, bucket: 5 },
        ],
      },
    ]);
    expect([bucketOf(0), bucketOf(30), bucketOf(31), bucketOf(3600), bucketOf(3601)]).toEqual([0, 0, 1, 6, 7]);
  });

  it('records a rating once, a scored turn by emotion and polarity, a bot reply by topic and outcome', () => {
    const handled = { ...base, seq: 9, status: 'resolved' as const, assignedAgentId: 'agent-li', resolvedAt: '2026-11-20T03:00:00.000Z' };
    const rated = { ...handled, csat: { score: 4, at: '2026-11-20T03:01:00.000Z' } };
    expect(conversationFacts(handled, rated, ZONE)[0]!.counters).toEqual([
      { metric: 'csat', dimension: 'webchat', count: 1, sum: 4 },
      { metric: 'csatScore', dimension: '4', count: 1 },
      { metric: 'csatAgent', dimension: 'agent-li', count: 1, sum: 4 },
    ]);
    expect(conversationFacts(rated, { ...rated, updatedAt: 'x' }, ZONE)).toEqual([]);
    const mood = { emotion: 'angry' as const, polarity: 'negative' as const, intensity: 0.7, valence: -0.7, trend: 'steady' as const, recent: [-0.7], turns: 1, updatedAt: '2026-11-20T02:00:00.000Z' };
    const reply = { ...base, seq: 2, mood, lastReplyId: 'msg_a', lastReplyAnswered: true, lastReplyTopic: 'kb-shipping', lastMessageAt: '2026-11-20T02:00:01.000Z' };
    expect(ids(conversationFacts({ ...base, seq: 1 }, reply, ZONE))).toEqual(['turn#1', 'reply#msg_a']);
    expect(conversationFacts({ ...base, seq: 1 }, reply, ZONE)[1]!.counters).toEqual([
      { metric: 'botReply', dimension: 'answered', count: 1 },
      { metric: 'intent', dimension: 'kb-shipping', count: 1 },
    ]);
    const unanswered = { ...reply, lastReplyId: 'msg_b', lastReplyAnswered: false, lastReplyTopic: '' };
    expect(conversationFacts(reply, unanswered, ZONE)[0]!.counters).toEqual([{ metric: 'botReply', dimension: 'unanswered', count: 1 }]);
  });

  it('ignores items that are not conversations (flow sessions share the table)', () => {
    expect(conversationFacts(undefined, { pk: 'flow#conv_1', id: 'conv_1', channel: 'webchat', seq: 1 } as never, ZONE)).toEqual([]);
  });
});

const row = (day: string, metric: DailyCounter['metric'], dimension: string, count: number, sum = 0, buckets: number[] = []): DailyCounter => ({
  day,
  metric,
  dimension,
  count,
  sum,
  buckets: Array.from({ length: 8 }, (_, i) => buckets[i] ?? 0),
});

describe('the dashboard over a period', () => {
  const rows = [
    row('2026-11-20', 'conversations', 'webchat', 8),
    row('2026-11-20', 'conversations', 'wechat', 2),
    row('2026-11-21', 'conversations', 'webchat', 10),
    row('2026-11-20', 'handedOff', 'webchat', 3),
    row('2026-11-21', 'handedOff', 'webchat', 2),
    row('2026-11-20', 'handoffReason', 'requested', 3),
    row('2026-11-21', 'handoffReason', 'angry', 2),
    row('2026-11-21', 'handoffReason', 'requested', 1),
    // 5 first responses: 3 within 30 s (sum 60), 2 within 2 min (sum 200): average 52 s, median ≤ 30 s, p90 ≤ 120 s
    row('2026-11-20', 'firstResponse', 'webchat', 3, 60, [3]),
    row('2026-11-21', 'firstResponse', 'webchat', 2, 200, [0, 0, 2]),
    row('2026-11-21', 'handled', 'agent-li', 2, 1200, [0, 0, 0, 0, 1, 1]),
    row('2026-11-21', 'csat', 'webchat', 3, 12),
    row('2026-11-21', 'csatScore', '5', 1),
    row('2026-11-21', 'csatScore', '4', 1),
    row('2026-11-21', 'csatScore', '3', 1),
    row('2026-11-21', 'csatAgent', 'agent-li', 3, 12),
    row('2026-11-20', 'emotion', 'neutral', 6),
    row('2026-11-20', 'emotion', 'angry', 2),
    row('2026-11-20', 'polarity', 'neutral', 6),
    row('2026-11-20', 'polarity', 'negative', 2),
    row('2026-11-20', 'botReply', 'answered', 9),
    row('2026-11-20', 'botReply', 'unanswered', 3),
    row('2026-11-20', 'intent', 'kb-shipping', 5),
    row('2026-11-21', 'intent', 'kb-shipping', 2),
    row('2026-11-21', 'intent', 'flow:order-status', 4),
  ];
  const d = summarise(rows, { from: '2026-11-20', to: '2026-11-22', timeZone: ZONE });

  it('adds up conversations, handoffs and containment (hand-counted: 20 conversations, 5 handed off)', () => {
    expect(d.totals).toMatchObject({ conversations: 20, handedOff: 5, contained: 15, containmentRate: 0.75, handoffRate: 0.25, botReplies: 12, botAnswerRate: 0.75, unansweredReplies: 3, customerTurnsScored: 8 });
    expect(d.byChannel).toEqual([
      { channel: 'webchat', conversations: 18, handedOff: 5, containmentRate: 0.722, csatAverage: 4 },
      { channel: 'wechat', conversations: 2, handedOff: 0, containmentRate: 1, csatAverage: null },
    ].sort((a, b) => a.channel.localeCompare(b.channel)));
    expect(d.handoffReasons).toEqual([
      { reason: 'requested', count: 4, share: 0.667 },
      { reason: 'angry', count: 2, share: 0.333 },
    ]);
  });

  it('summarises durations, ratings, sentiment and intents', () => {
    expect(d.firstResponse).toMatchObject({ count: 5, averageSeconds: 52, medianAtMostSeconds: 30, p90AtMostSeconds: 120 });
    expect(d.handling).toMatchObject({ count: 2, averageSeconds: 600, medianAtMostSeconds: 600, p90AtMostSeconds: 1800 });
    expect(d.csat).toEqual({ count: 3, average: 4, satisfiedRate: 0.667, distribution: [{ score: 1, count: 0 }, { score: 2, count: 0 }, { score: 3, count: 1 }, { score: 4, count: 1 }, { score: 5, count: 1 }] });
    expect(d.sentiment.emotions).toEqual([{ emotion: 'neutral', count: 6, share: 0.75 }, { emotion: 'angry', count: 2, share: 0.25 }]);
    expect(d.topIntents).toEqual([{ topic: 'kb-shipping', count: 7 }, { topic: 'flow:order-status', count: 4 }]);
    expect(d.agents).toEqual([{ agentId: 'agent-li', handled: 2, handlingAverageSeconds: 600, firstResponseAverageSeconds: null, csatAverage: 4, ratings: 3 }]);
  });

  it('gives one point per day, empty days included', () => {
    expect(d.series.map((p) => [p.day, p.conversations, p.handedOff, p.containmentRate])).toEqual([
      ['2026-11-20', 10, 3, 0.7],
      ['2026-11-21', 10, 2, 0.8],
      ['2026-11-22', 0, 0, null],
    ]);
    expect(d.series[0]!.negativeShare).toBe(0.25);
    expect(d.series[1]!.handlingAverageSeconds).toBe(600);
  });
});

describe('the report period', () => {
  it('defaults to the last 7 days and refuses bad or too long periods', () => {
    expect(reportPeriod({}, '2026-11-22')).toEqual({ from: '2026-11-16', to: '2026-11-22' });
    expect(reportPeriod({ from: '2026-11-01', to: '2026-11-30' }, '2026-11-22')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(() => reportPeriod({ from: '2026-02-30' }, '2026-11-22')).toThrow(/YYYY-MM-DD/);
    expect(() => reportPeriod({ from: '2026-11-23', to: '2026-11-22' }, '2026-11-22')).toThrow(/after/);
    expect(() => reportPeriod({ from: '2026-01-01', to: '2026-11-22' }, '2026-11-22')).toThrow(/at most 92/);
  });
});

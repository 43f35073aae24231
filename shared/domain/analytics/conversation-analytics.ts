/**
 * Conversation analytics: what a change of a conversation item means for the daily report (one conversation
 * engaged, handed off, accepted, answered first, resolved, rated; one customer turn scored; one bot reply), and the
 * dashboard computed from the daily counters over a period.
 *
 * Every fact has a stable id derived from the conversation (e.g. `handoff#2`, `accepted#<time>`), so a redelivered
 * stream record counts nothing twice. Days are calendar days in the report's time zone. Definitions:
 *   - conversations: conversations whose first message arrived that day (opened widgets nobody wrote in are not counted);
 *   - handed off: conversations handed to a human for the first time that day (a second handoff counts its reason only);
 *   - containment (bot resolution) rate = 1 − handed off ÷ conversations over the period;
 *   - first response time: from the handoff (queuedAt) to the first agent reply; queue wait: handoff → accept;
 *     handling time: accept → resolve; all per occurrence, on the day it ended;
 *   - CSAT: ratings given that day (1–5; satisfied = 4 or 5);
 *   - sentiment mix: customer turns scored that day, by emotion and polarity;
 *   - intents: bot replies by the knowledge entry (or flow) they came from; unanswered: bot replies that did not answer.
 */
import type { Conversation } from '../conversation/conversation.ts';

export type MetricId =
  | 'conversations'
  | 'handedOff'
  | 'handoffReason'
  | 'queueWait'
  | 'firstResponse'
  | 'agentFirstResponse'
  | 'handled'
  | 'resolved'
  | 'csat'
  | 'csatScore'
  | 'csatAgent'
  | 'emotion'
  | 'polarity'
  | 'botReply'
  | 'intent';

/** Upper bounds (seconds) of the duration histogram; a last, open bucket holds the rest. */
export const DURATION_BUCKETS = [30, 60, 120, 300, 600, 1800, 3600] as const;
export const BUCKET_COUNT = DURATION_BUCKETS.length + 1;

export interface Counter {
  readonly metric: MetricId;
  readonly dimension: string;
  readonly count: number;
  /** Seconds for durations, the score for ratings. */
  readonly sum?: number;
  /** Histogram bucket of a duration. */
  readonly bucket?: number;
}

export interface AnalyticsFact {
  /** Unique per conversation and fact: the unit of idempotency. */
  readonly id: string;
  readonly conversationId: string;
  /** YYYY-MM-DD in the report's time zone. */
  readonly day: string;
  readonly counters: readonly Counter[];
}

/** One stored daily counter (the sum of every fact's counter with the same day, metric and dimension). */
export interface DailyCounter {
  readonly day: string;
  readonly metric: MetricId;
  readonly dimension: string;
  readonly count: number;
  readonly sum: number;
  readonly buckets: readonly number[];
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of an instant in a time zone (YYYY-MM-DD). */
export function dayOf(iso: string, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format.format(new Date(iso));
}

export function bucketOf(seconds: number): number {
  const index = DURATION_BUCKETS.findIndex((upper) => seconds <= upper);
  return index < 0 ? DURATION_BUCKETS.length : index;
}

const secondsBetween = (from: string, to: string) => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

function duration(metric: MetricId, dimension: string, from: string | undefined, to: string): Counter | undefined {
  if (!from) return undefined;
  const seconds = secondsBetween(from, to);
  return { metric, dimension, count: 1, sum: seconds, bucket: bucketOf(seconds) };
}

type Image = Partial<Conversation> & { readonly pk?: string };

/**
 * The facts one change of a conversation item records (old image undefined: the item is new). Items that are not
 * conversations (flow sessions share the table) record nothing.
 */
export function conversationFacts(previous: Image | undefined, next: Image, timeZone: string): AnalyticsFact[] {
  if (!next.id || !next.channel || (next.pk !== undefined && next.pk !== next.id)) return [];
  const id = next.id;
  const channel = next.channel;
  const facts: AnalyticsFact[] = [];
  const fact = (name: string, at: string | undefined, counters: readonly (Counter | undefined)[]) => {
    const kept = counters.filter((c): c is Counter => c !== undefined);
    if (kept.length) facts.push({ id: name, conversationId: id, day: dayOf(at ?? next.updatedAt ?? new Date().toISOString(), timeZone), counters: kept });
  };

  if ((previous?.seq ?? 0) === 0 && (next.seq ?? 0) > 0) {
    fact('engaged', next.lastMessageAt ?? next.updatedAt, [{ metric: 'conversations', dimension: channel, count: 1 }]);
  }
  const handoffs = next.handoffs ?? 0;
  if (handoffs > (previous?.handoffs ?? 0) && next.status === 'queued') {
    fact(`handoff#${handoffs}`, next.queuedAt, [
      { metric: 'handoffReason', dimension: next.handoffReason ?? 'unknown', count: 1 },
      (previous?.handoffs ?? 0) === 0 ? { metric: 'handedOff', dimension: channel, count: 1 } : undefined,
    ]);
  }
  if (next.acceptedAt && next.acceptedAt !== previous?.acceptedAt && next.status === 'agent') {
    fact(`accepted#${next.acceptedAt}`, next.acceptedAt, [duration('queueWait', next.groupId ?? 'default', next.queuedAt, next.acceptedAt)]);
  }
  if (next.respondedAt && next.respondedAt !== previous?.respondedAt) {
    fact(`responded#${next.respondedAt}`, next.respondedAt, [
      duration('firstResponse', channel, next.queuedAt, next.respondedAt),
      next.assignedAgentId ? duration('agentFirstResponse', next.assignedAgentId, next.queuedAt, next.respondedAt) : undefined,
    ]);
  }
  if (next.status === 'resolved' && previous?.status !== 'resolved' && next.resolvedAt) {
    const resolution = next.resolution ?? 'agent';
    const agent = next.assignedAgentId ?? previous?.assignedAgentId;
    fact(`resolved#${next.resolvedAt}`, next.resolvedAt, [
      { metric: 'resolved', dimension: resolution, count: 1 },
      resolution === 'agent' && agent ? duration('handled', agent, next.acceptedAt ?? previous?.acceptedAt, next.resolvedAt) : undefined,
    ]);
  }
  if (next.csat && !previous?.csat) {
    const agent = next.assignedAgentId ?? previous?.assignedAgentId;
    fact('csat', next.csat.at, [
      { metric: 'csat', dimension: channel, count: 1, sum: next.csat.score },
      { metric: 'csatScore', dimension: String(next.csat.score), count: 1 },
      agent ? { metric: 'csatAgent', dimension: agent, count: 1, sum: next.csat.score } : undefined,
    ]);
  }
  const turns = next.mood?.turns ?? 0;
  if (next.mood && turns > (previous?.mood?.turns ?? 0)) {
    fact(`turn#${turns}`, next.mood.updatedAt, [
      { metric: 'emotion', dimension: next.mood.emotion, count: 1 },
      { metric: 'polarity', dimension: next.mood.polarity, count: 1 },
    ]);
  }
  if (next.lastReplyId && next.lastReplyId !== previous?.lastReplyId) {
    fact(`reply#${next.lastReplyId}`, next.lastMessageAt, [
      { metric: 'botReply', dimension: next.lastReplyAnswered ? 'answered' : 'unanswered', count: 1 },
      next.lastReplyTopic ? { metric: 'intent', dimension: next.lastReplyTopic, count: 1 } : undefined,
    ]);
  }
  return facts;
}

/** Each day from `from` to `to` (inclusive, YYYY-MM-DD). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

export interface DurationSummary {
  readonly count: number;
  readonly averageSeconds: number | null;
  /** The histogram bucket the median / 90th percentile falls in, as its upper bound (null: above the last bound). */
  readonly medianAtMostSeconds: number | null;
  readonly p90AtMostSeconds: number | null;
  readonly distribution: readonly { readonly upToSeconds: number | null; readonly count: number }[];
}

interface Totals {
  count: number;
  sum: number;
  buckets: number[];
}

const emptyTotals = (): Totals => ({ count: 0, sum: 0, buckets: Array.from({ length: BUCKET_COUNT }, () => 0) });
const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;
const ratio = (part: number, whole: number) => (whole > 0 ? round(part / whole) : null);

function add(into: Totals, row: DailyCounter): Totals {
  into.count += row.count;
  into.sum += row.sum;
  row.buckets.forEach((n, i) => (into.buckets[i] = (into.buckets[i] ?? 0) + n));
  return into;
}

function percentileBound(buckets: readonly number[], total: number, p: number): number | null {
  if (total === 0) return null;
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    seen += buckets[i] ?? 0;
    if (seen >= p * total) return DURATION_BUCKETS[i] ?? null;
  }
  return null;
}

export function durationSummary(t: Totals): DurationSummary {
  return {
    count: t.count,
    averageSeconds: t.count ? Math.round(t.sum / t.count) : null,
    medianAtMostSeconds: percentileBound(t.buckets, t.count, 0.5),
    p90AtMostSeconds: percentileBound(t.buckets, t.count, 0.9),
    distribution: t.buckets.map((count, i) => ({ upToSeconds: DURATION_BUCKETS[i] ?? null, count })),
  };
}

function byDimension(rows: readonly DailyCounter[], metric: MetricId): Map<string, Totals> {
  const out = new Map<string, Totals>();
  for (const row of rows) {
    if (row.metric !== metric) continue;
    out.set(row.dimension, add(out.get(row.dimension) ?? emptyTotals(), row));
  }
  return out;
}

function total(rows: readonly DailyCounter[], metric: MetricId): Totals {
  return rows.filter((r) => r.metric === metric).reduce(add, emptyTotals());
}

const ranked = (map: Map<string, Totals>) => [...map.entries()].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));

/** The dashboard over a period from the daily counters of its days. */
export function summarise(rows: readonly DailyCounter[], period: { readonly from: string; readonly to: string; readonly timeZone: string }, options: { readonly topN?: number } = {}) {
  const topN = options.topN ?? 10;
  const conversations = total(rows, 'conversations').count;
  const handedOff = total(rows, 'handedOff').count;
  const handoffs = byDimension(rows, 'handoffReason');
  const handoffCount = [...handoffs.values()].reduce((n, t) => n + t.count, 0);
  const csat = total(rows, 'csat');
  const scores = byDimension(rows, 'csatScore');
  const emotions = byDimension(rows, 'emotion');
  const polarity = byDimension(rows, 'polarity');
  const turns = [...emotions.values()].reduce((n, t) => n + t.count, 0);
  const replies = byDimension(rows, 'botReply');
  const answered = replies.get('answered')?.count ?? 0;
  const unanswered = replies.get('unanswered')?.count ?? 0;
  const handled = byDimension(rows, 'handled');
  const agentFrt = byDimension(rows, 'agentFirstResponse');
  const agentCsat = byDimension(rows, 'csatAgent');
  const channelConversations = byDimension(rows, 'conversations');
  const channelHandedOff = byDimension(rows, 'handedOff');
  const channelCsat = byDimension(rows, 'csat');
  const channels = new Set([...channelConversations.keys(), ...channelHandedOff.keys(), ...channelCsat.keys()]);
  const resolved = byDimension(rows, 'resolved');
  const agents = new Set([...handled.keys(), ...agentFrt.keys(), ...agentCsat.keys()]);

  const series = daysBetween(period.from, period.to).map((day) => {
    const of = rows.filter((r) => r.day === day);
    const c = total(of, 'conversations').count;
    const h = total(of, 'handedOff').count;
    const frt = total(of, 'firstResponse');
    const handling = total(of, 'handled');
    const rated = total(of, 'csat');
    const emo = total(of, 'polarity');
    const negative = of.filter((r) => r.metric === 'polarity' && r.dimension === 'negative').reduce((n, r) => n + r.count, 0);
    return {
      day,
      conversations: c,
      byChannel: Object.fromEntries(of.filter((r) => r.metric === 'conversations').map((r) => [r.dimension, r.count])),
      handedOff: h,
      containmentRate: c > 0 ? round(Math.max(0, c - h) / c) : null,
      firstResponseAverageSeconds: frt.count ? Math.round(frt.sum / frt.count) : null,
      handlingAverageSeconds: handling.count ? Math.round(handling.sum / handling.count) : null,
      csatAverage: rated.count ? round(rated.sum / rated.count, 2) : null,
      negativeShare: ratio(negative, emo.count),
    };
  });

  return {
    period: { ...period, days: series.length },
    totals: {
      conversations,
      handedOff,
      contained: Math.max(0, conversations - handedOff),
      containmentRate: conversations > 0 ? round(Math.max(0, conversations - handedOff) / conversations) : null,
      handoffRate: ratio(handedOff, conversations),
      botReplies: answered + unanswered,
      botAnswerRate: ratio(answered, answered + unanswered),
      unansweredReplies: unanswered,
      customerTurnsScored: turns,
      resolvedByAgents: resolved.get('agent')?.count ?? 0,
      offlineTickets: resolved.get('offline-ticket')?.count ?? 0,
    },
    byChannel: [...channels].sort().map((channel) => {
      const c = channelConversations.get(channel)?.count ?? 0;
      const h = channelHandedOff.get(channel)?.count ?? 0;
      const rated = channelCsat.get(channel);
      return { channel, conversations: c, handedOff: h, containmentRate: c > 0 ? round(Math.max(0, c - h) / c) : null, csatAverage: rated?.count ? round(rated.sum / rated.count, 2) : null };
    }),
    handoffReasons: ranked(handoffs).map(([reason, t]) => ({ reason, count: t.count, share: ratio(t.count, handoffCount) })),
    queueWait: durationSummary(total(rows, 'queueWait')),
    firstResponse: durationSummary(total(rows, 'firstResponse')),
    handling: durationSummary(total(rows, 'handled')),
    csat: {
      count: csat.count,
      average: csat.count ? round(csat.sum / csat.count, 2) : null,
      satisfiedRate: ratio((scores.get('4')?.count ?? 0) + (scores.get('5')?.count ?? 0), csat.count),
      distribution: [1, 2, 3, 4, 5].map((score) => ({ score, count: scores.get(String(score))?.count ?? 0 })),
    },
    sentiment: {
      emotions: ranked(emotions).map(([emotion, t]) => ({ emotion, count: t.count, share: ratio(t.count, turns) })),
      polarity: Object.fromEntries(['positive', 'neutral', 'negative', 'mixed'].map((p) => [p, polarity.get(p)?.count ?? 0])),
    },
    topIntents: ranked(byDimension(rows, 'intent'))
      .slice(0, topN)
      .map(([topic, t]) => ({ topic, count: t.count })),
    agents: [...agents].sort().map((agentId) => {
      const h = handled.get(agentId);
      const f = agentFrt.get(agentId);
      const r = agentCsat.get(agentId);
      return {
        agentId,
        handled: h?.count ?? 0,
        handlingAverageSeconds: h?.count ? Math.round(h.sum / h.count) : null,
        firstResponseAverageSeconds: f?.count ? Math.round(f.sum / f.count) : null,
        csatAverage: r?.count ? round(r.sum / r.count, 2) : null,
        ratings: r?.count ?? 0,
      };
    }),
    series,
  };
}

export type Dashboard = ReturnType<typeof summarise>;
